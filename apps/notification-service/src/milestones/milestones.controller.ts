import { Controller, Get, Query, type StreamableFile } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { MilestonesQuery, parseMilestonesQuery } from '@commerce/platform';
import { MilestonesService } from './milestones.service';

@ApiTags('milestones')
@Controller('milestones')
export class MilestonesController {
  constructor(private readonly milestones: MilestonesService) {}

  @Get()
  @ApiOperation({
    summary: 'The notifications per order: status = kind sent last, one milestone per notification (by orderIds, changed since, or in orderId order)',
  })
  get(@Query() query: MilestonesQuery): Promise<StreamableFile> {
    return this.milestones.pageJson(parseMilestonesQuery(query));
  }
}
