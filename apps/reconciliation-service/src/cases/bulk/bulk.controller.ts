import { Body, Controller, Get, Header, Headers, HttpCode, Inject, Post, Query } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Rule } from '../../rules/rule';
import { RULE_CATALOG } from '../../settings.module';
import { OPERATOR_HEADER, operatorFrom } from '../../operator';
import { BulkActionDto, CaseFilterDto } from './bulk-actions.dto';
import { BulkActions } from './bulk-actions.service';
import { casesCsv, EXPORT_MAX_CASES } from './case-export';
import { selectCases } from './case-selection';

/** Many cases at once: bulk actions with their dry run, and the CSV export of any case list. */
@ApiTags('cases')
@Controller('cases')
export class BulkCasesController {
  constructor(
    private readonly bulk: BulkActions,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(RULE_CATALOG) private readonly rules: Rule[],
  ) {}

  @Post('bulk')
  @HttpCode(200)
  @ApiHeader({ name: OPERATOR_HEADER, required: false })
  @ApiOperation({ summary: 'Resolve, dismiss or retry many cases: dryRun with a filter says exactly what it would touch and send; then the action on those caseIds' })
  act(@Body() body: BulkActionDto, @Headers(OPERATOR_HEADER) operator?: string) {
    if (body.dryRun) return this.bulk.dryRun(body.action, body.filter);
    return this.bulk.apply(body, operatorFrom(body.actor, operator));
  }

  @Get('export')
  @Header('content-type', 'text/csv; charset=utf-8')
  @Header('content-disposition', 'attachment; filename="cases.csv"')
  @ApiProduces('text/csv')
  @ApiOperation({ summary: `The cases a filter selects as CSV, newest first (at most ${EXPORT_MAX_CASES}); status defaults to open, status=all for every case` })
  async export(@Query() filter: CaseFilterDto) {
    return casesCsv(await selectCases(this.dataSource, this.rules, filter, EXPORT_MAX_CASES));
  }
}
