import { Controller, Get, Query, type StreamableFile } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { MilestonesQuery, parseMilestonesQuery } from '@commerce/platform';
import { MilestonesPageView } from './dto/milestones.dto';
import { MilestonesService } from './milestones.service';

@ApiTags('milestones')
@Controller('milestones')
export class MilestonesController {
  constructor(private readonly milestones: MilestonesService) {}

  @Get()
  @ApiOperation({ summary: "Payment's facts per order, for the reconciliation service (by orderIds, changed since, or in orderId order)" })
  @ApiOkResponse({ type: MilestonesPageView })
  @ApiBadRequestResponse({ description: 'No mode or two modes (orderIds, updatedSince, afterOrderId), more than 1000 ids, or a bad cursor' })
  page(@Query() query: MilestonesQuery): Promise<StreamableFile> {
    return this.milestones.pageJson(parseMilestonesQuery(query));
  }
}
