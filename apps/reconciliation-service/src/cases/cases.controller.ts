import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { OPERATOR_HEADER, operatorFrom, uuidParam } from '../operator';
import { CasesService } from './cases.service';
import { DismissCaseDto, ReopenCaseDto, ResolveCaseDto, RetryRepairDto } from './dto/case-actions.dto';
import { ListCasesQuery } from './dto/list-cases.query';

@ApiTags('cases')
@Controller('cases')
export class CasesController {
  constructor(private readonly cases: CasesService) {}

  @Get()
  @ApiOperation({ summary: 'Repair cases, newest first, filtered by status, rule, orderId and age (keyset-paged)' })
  list(@Query() query: ListCasesQuery) {
    return this.cases.list(query);
  }

  @Get(':id')
  @ApiOperation({ summary: "A case with its evidence, the cross-service timeline of the order's milestones and the audit trail" })
  detail(@Param('id', uuidParam()) id: string) {
    return this.cases.detail(id);
  }

  @Post(':id/retry-repair')
  @HttpCode(202)
  @ApiHeader({ name: OPERATOR_HEADER, required: false })
  @ApiOperation({ summary: 'Emit the repair commands again (rules with an automatic repair; open cases)' })
  retryRepair(@Param('id', uuidParam()) id: string, @Body() body: RetryRepairDto, @Headers(OPERATOR_HEADER) operator?: string) {
    return this.cases.retryRepair(id, operatorFrom(body.actor, operator), body.reason);
  }

  @Post(':id/resolve')
  @HttpCode(200)
  @ApiHeader({ name: OPERATOR_HEADER, required: false })
  @ApiOperation({ summary: 'Close an open case as fixed, with a note (it reopens as a new case if the divergence is seen again)' })
  async resolve(@Param('id', uuidParam()) id: string, @Body() body: ResolveCaseDto, @Headers(OPERATOR_HEADER) operator?: string) {
    await this.cases.resolve(id, operatorFrom(body.actor, operator), body.note);
    return this.cases.detail(id);
  }

  @Post(':id/dismiss')
  @HttpCode(200)
  @ApiHeader({ name: OPERATOR_HEADER, required: false })
  @ApiOperation({ summary: 'Close an open case as accepted, with a reason (not reported again for this order and rule)' })
  async dismiss(@Param('id', uuidParam()) id: string, @Body() body: DismissCaseDto, @Headers(OPERATOR_HEADER) operator?: string) {
    await this.cases.dismiss(id, operatorFrom(body.actor, operator), body.reason);
    return this.cases.detail(id);
  }

  @Post(':id/reopen')
  @HttpCode(200)
  @ApiHeader({ name: OPERATOR_HEADER, required: false })
  @ApiOperation({ summary: 'Reopen a resolved or dismissed case' })
  reopen(@Param('id', uuidParam()) id: string, @Body() body: ReopenCaseDto, @Headers(OPERATOR_HEADER) operator?: string) {
    return this.cases.reopen(id, operatorFrom(body.actor, operator), body.reason);
  }
}
