import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { MilestonesPage } from '@commerce/contracts';
import { MilestonesQuery, parseMilestonesQuery } from '@commerce/platform';
import { MilestonesService } from './milestones.service';

@ApiTags('milestones')
@Controller('milestones')
export class MilestonesController {
  constructor(private readonly milestones: MilestonesService) {}

  @Get()
  @ApiOperation({ summary: "The order service's status, milestones and facts per order (by orderIds, changed since, or in orderId order)" })
  get(@Query() query: MilestonesQuery): Promise<MilestonesPage> {
    return this.milestones.page(parseMilestonesQuery(query));
  }
}
