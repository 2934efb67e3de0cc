import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { RULE_CATALOG } from '../settings.module';
import { RULES } from './catalog';
import type { Rule } from './rule';

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
  constructor(@Inject(RULE_CATALOG) private readonly rules: Rule[]) {}

  @Get()
  @ApiOperation({ summary: 'The invariants checked, with their grace thresholds, severity, repair and the services they read' })
  list() {
    return { items: this.rules.map(ruleView) };
  }
}
