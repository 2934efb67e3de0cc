import { Controller, Get, Query, type StreamableFile } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { MilestonesQuery, parseMilestonesQuery } from '@commerce/platform';
import { MilestonesService } from './milestones.service';

@ApiTags('milestones')
@Controller('milestones')
export class MilestonesController {
  constructor(private readonly milestones: MilestonesService) {}

  @Get()
  @ApiOperation({
    summary: "shipment-service's milestones per order (for reconciliation)",
    description:
      'status: AWAITING | CREATED | PARTIALLY_DISPATCHED | DISPATCHED | DELIVERED | CANCELLED | CANCELLATION_REFUSED. ' +
      'facts: shipments, dispatched, delivered, cancelled, dispatchedValueMinor, currency, cancellationRefused, awaitingFacts.',
  })
  @ApiOkResponse({ description: '{ service, items, nextCursor }' })
  @ApiBadRequestResponse({ description: 'problem details: no mode or two modes, too many ids, bad cursor' })
  find(@Query() query: MilestonesQuery): Promise<StreamableFile> {
    return this.milestones.pageJson(parseMilestonesQuery(query));
  }
}
