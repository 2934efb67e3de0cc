import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { InvalidInputError } from '@commerce/platform';
import { ActorDto } from '../cases/dto/case-actions.dto';
import { OPERATOR_HEADER, operatorFrom } from '../operator';
import { SOURCE_SERVICES, type SourceService } from '../rules/order-view';
import { PipesService } from './pipes.service';

export class ReplayDeadLettersDto extends ActorDto {
  @ApiPropertyOptional({ type: [String], description: 'The dead letters (their ids in the service) to replay' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @IsString({ each: true })
  ids?: string[];

  @ApiPropertyOptional({ description: 'Without ids: every pending dead letter of this event type' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  eventType?: string;

  @ApiProperty({ description: 'Why, for the audit trail' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  reason!: string;
}

function serviceParam(service: string): SourceService {
  if (!(SOURCE_SERVICES as readonly string[]).includes(service)) throw new InvalidInputError([{ field: 'service', message: `one of ${SOURCE_SERVICES.join(', ')}` }]);
  return service as SourceService;
}

@ApiTags('pipes')
@Controller('pipes')
export class PipesController {
  constructor(private readonly pipes: PipesService) {}

  @Get()
  @ApiOperation({ summary: "Per service: outbox backlog and last publish, its consumer group's lag per partition, its dead letters" })
  overview() {
    return this.pipes.overview();
  }

  @Get('audit')
  @ApiOperation({ summary: 'Operators’ actions on the pipes, newest first' })
  audit(@Query('limit') limit?: string) {
    return this.pipes.audit(limit ? Number(limit) || 50 : 50);
  }

  @Post(':service/dead-letters/replay')
  @HttpCode(200)
  @ApiHeader({ name: OPERATOR_HEADER, required: false })
  @ApiOperation({ summary: 'Replay dead letters of a service (by id, or all of one type) through its inbox; one audit row each' })
  replay(@Param('service') service: string, @Body() body: ReplayDeadLettersDto, @Headers(OPERATOR_HEADER) operator?: string) {
    return this.pipes.replay(serviceParam(service), body, operatorFrom(body.actor, operator));
  }
}
