import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { InvalidInputError } from '@commerce/platform';
import { RULE_CATALOG } from '../settings.module';
import { RULES } from './catalog';
import type { Rule } from './rule';
import { RuleWhatIf } from './rule-what-if';

/** A rule as the catalog lists it (data only). */
export function ruleView(rule: Rule) {
  return {
    id: rule.id,
    description: rule.description,
    graceMs: rule.graceMs,
    defaultGraceMs: RULES.find((r) => r.id === rule.id)?.graceMs ?? rule.graceMs,
    graceSetting: rule.graceSetting,
    severity: rule.severity,
    needs: rule.needs,
    repair:
      rule.repair.kind === 'auto'
        ? { kind: 'auto', commands: rule.repair.command.types, description: rule.repair.command.description }
        : { kind: 'manual', description: rule.repair.description },
  };
}

@ApiTags('rules')
@Controller('rules')
export class RulesController {
  constructor(
    @Inject(RULE_CATALOG) private readonly rules: Rule[],
    private readonly whatIfs: RuleWhatIf,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The invariants checked, with their grace thresholds, severity, repair and the services they read' })
  list() {
    return { items: this.rules.map(ruleView) };
  }

  @Get(':id/what-if')
  @ApiQuery({ name: 'graceMs', description: 'The grace to try, in ms (≥ 0)' })
  @ApiOperation({ summary: 'Which orders this rule would hold as violations with another grace, from what the scans know; opens nothing' })
  whatIf(@Param('id') id: string, @Query('graceMs') graceMs?: string) {
    const grace = Number(graceMs);
    if (graceMs === undefined || !/^\d+$/.test(graceMs) || !Number.isSafeInteger(grace)) throw new InvalidInputError([{ field: 'graceMs', message: 'must be a whole number of milliseconds ≥ 0' }]);
    return this.whatIfs.whatIf(id, grace);
  }
}
