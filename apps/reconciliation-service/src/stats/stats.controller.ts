import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { StatsService } from './stats.service';

@ApiTags('stats')
@Controller('stats')
export class StatsController {
  constructor(private readonly stats: StatsService) {}

  @Get()
  @ApiOperation({ summary: 'Open cases by status, rule and age; cases opened per rule per hour (24 h); last runs; queue counts' })
  get() {
    return this.stats.stats();
  }
}
