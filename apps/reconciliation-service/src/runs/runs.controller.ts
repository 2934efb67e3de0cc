import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { OPERATOR_HEADER, uuidParam } from '../operator';
import { ListRunsQuery, StartRunDto } from './dto/runs.dto';
import { RunsService } from './runs.service';

@ApiTags('runs')
@Controller('runs')
export class RunsController {
  constructor(private readonly runs: RunsService) {}

  @Get()
  @ApiOperation({ summary: 'Runs, newest first (keyset-paged)' })
  list(@Query() query: ListRunsQuery) {
    return this.runs.list(query);
  }

  @Post()
  @HttpCode(202)
  @ApiHeader({ name: OPERATOR_HEADER, required: false })
  @ApiOperation({ summary: 'Start a run: full, incremental, or a check of given orders; answers 202 with the run id' })
  start(@Body() body: StartRunDto, @Headers(OPERATOR_HEADER) operator?: string) {
    return this.runs.start(body, body.requestedBy ?? operator ?? null);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A run: status, progress, counts per rule and outcome, services that did not answer' })
  detail(@Param('id', uuidParam()) id: string) {
    return this.runs.detail(id);
  }
}
