import { Controller, Get, Headers, HttpCode, Param, Post } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { InvalidInputError } from '@commerce/platform';
import { OPERATOR_HEADER } from '../operator';
import { RunsService } from '../runs/runs.service';
import { OrderExplorer } from './order-explorer.service';

/** orderIds are the services' own (uuids, or text in tests and old data): anything printable, bounded. */
function orderIdParam(orderId: string): string {
  if (!/^[\x21-\x7e]{1,200}$/.test(orderId)) throw new InvalidInputError([{ field: 'orderId', message: 'must be 1 to 200 printable characters without spaces' }]);
  return orderId;
}

@ApiTags('orders')
@Controller('orders')
export class OrdersController {
  constructor(
    private readonly explorer: OrderExplorer,
    private readonly runs: RunsService,
  ) {}

  @Get(':orderId')
  @ApiOperation({ summary: "The order everywhere: milestones side by side, its messages on Kafka, unpublished and dead-lettered messages per service, cases and checks" })
  explore(@Param('orderId') orderId: string) {
    return this.explorer.explore(orderIdParam(orderId));
  }

  @Post(':orderId/check')
  @HttpCode(202)
  @ApiHeader({ name: OPERATOR_HEADER, required: false })
  @ApiOperation({ summary: 'Check now: starts a run of kind order for this order; answers 202 with the run id' })
  check(@Param('orderId') orderId: string, @Headers(OPERATOR_HEADER) operator?: string) {
    return this.runs.start({ kind: 'order', orderIds: [orderIdParam(orderId)] }, operator ?? null);
  }
}
