import { Body, Controller, Get, Headers, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { InvalidInputError } from '@commerce/platform';
import { ActorDto } from '../cases/dto/case-actions.dto';
import type { ServiceConfig } from '../config';
import { OPERATOR_HEADER, operatorFrom, uuidParam } from '../operator';
import { RECON_CONFIG } from '../settings.module';
import { DELIVERY_STATUSES, type DeliveryStatus, WebhookDeliveries } from './webhook-deliveries';
import { WEBHOOK_EVENTS } from './webhook-events';
import { displayUrl } from './webhook-settings';

export class RedeliverDto extends ActorDto {
  @ApiProperty({ description: 'Why, for the audit trail' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  reason!: string;
}

function statusQuery(status: string | undefined): DeliveryStatus | undefined {
  if (status === undefined || status === '') return undefined;
  const upper = status.toUpperCase();
  if (!(DELIVERY_STATUSES as readonly string[]).includes(upper)) throw new InvalidInputError([{ field: 'status', message: `one of ${DELIVERY_STATUSES.join(', ')}` }]);
  return upper as DeliveryStatus;
}

function limitQuery(limit: string | undefined): number {
  if (limit === undefined || limit === '') return 50;
  const n = Number(limit);
  if (!Number.isInteger(n) || n < 1 || n > 500) throw new InvalidInputError([{ field: 'limit', message: 'an integer from 1 to 500' }]);
  return n;
}

@ApiTags('webhooks')
@Controller('webhooks')
export class WebhooksController {
  constructor(
    private readonly deliveries: WebhookDeliveries,
    @Inject(RECON_CONFIG) private readonly config: ServiceConfig,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The configured endpoints (WEBHOOK_ENDPOINTS), the events each wants and its deliveries by status' })
  async endpoints() {
    const counts = await this.deliveries.countsByEndpoint();
    return {
      events: WEBHOOK_EVENTS,
      endpoints: this.config.WEBHOOK_ENDPOINTS.map((endpoint) => ({
        endpoint: displayUrl(endpoint.url),
        events: [...endpoint.events],
        deliveries: counts.get(endpoint.url) ?? { PENDING: 0, DELIVERED: 0, FAILED: 0 },
      })),
    };
  }

  @Get('deliveries')
  @ApiOperation({ summary: 'Deliveries newest first, by status (PENDING, DELIVERED, FAILED) or all' })
  list(@Query('status') status?: string, @Query('limit') limit?: string) {
    return this.deliveries.list({ status: statusQuery(status), limit: limitQuery(limit) });
  }

  @Get('deliveries/:id')
  @ApiOperation({ summary: 'One delivery: its payload and every attempt (HTTP status, error, when the next one is due)' })
  get(@Param('id', uuidParam()) id: string) {
    return this.deliveries.get(id);
  }

  @Post('deliveries/:id/redeliver')
  @HttpCode(200)
  @ApiHeader({ name: OPERATOR_HEADER, required: false })
  @ApiOperation({ summary: 'Send a failed (or delivered) delivery again, due now, with WEBHOOK_MAX_ATTEMPTS more attempts; recorded in the pipes audit' })
  redeliver(@Param('id', uuidParam()) id: string, @Body() body: RedeliverDto, @Headers(OPERATOR_HEADER) operator?: string) {
    return this.deliveries.redeliver(id, this.config.WEBHOOK_MAX_ATTEMPTS, { actor: operatorFrom(body.actor, operator), reason: body.reason }, new Date());
  }
}
