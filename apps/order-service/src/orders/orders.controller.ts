import { Body, Controller, Get, Headers, HttpCode, HttpStatus, Param, Post, Query, Res, UseGuards } from '@nestjs/common';
import { ApiAcceptedResponse, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CancelOrderDto } from './dto/cancel-order.dto';
import { ListOrdersQuery } from './dto/list-orders.query';
import { PlaceOrderDto } from './dto/place-order.dto';
import { idempotencyKeyOf, IdempotencyKeyRequired } from './idempotency-key.guard';
import { IDEMPOTENCY_KEY_HEADER } from './order-errors';
import { OrderView } from './order-view';
import { OrdersService, type OrdersPage } from './orders.service';

interface HttpResponse {
  status(code: number): unknown;
  setHeader(name: string, value: string): unknown;
}

@ApiTags('orders')
@Controller('orders')
export class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  @Post()
  @UseGuards(IdempotencyKeyRequired)
  @ApiOperation({ summary: 'Place an order (once per Idempotency-Key)' })
  @ApiHeader({ name: IDEMPOTENCY_KEY_HEADER, required: true, description: 'Client-chosen unique key; a retry with the same key and body returns the same order' })
  @ApiCreatedResponse({ type: OrderView, description: 'Order placed' })
  @ApiOkResponse({ type: OrderView, description: 'Same key and body as an earlier request: the order it placed' })
  async placeOrder(
    @Headers() headers: Record<string, string | string[] | undefined>,
    @Body() body: PlaceOrderDto,
    @Res({ passthrough: true }) response: HttpResponse,
  ): Promise<OrderView> {
    const { order, created } = await this.orders.placeOrder(idempotencyKeyOf(headers), body);
    response.status(created ? HttpStatus.CREATED : HttpStatus.OK);
    response.setHeader('Location', `/orders/${order.orderId}`);
    return order;
  }

  @Get()
  @ApiOperation({ summary: 'Orders, newest first, cursor-paged' })
  list(@Query() query: ListOrdersQuery): Promise<OrdersPage> {
    return this.orders.listOrders(query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'An order: its status and the timeline of what the order service heard' })
  @ApiOkResponse({ type: OrderView })
  get(@Param('id') id: string): Promise<OrderView> {
    return this.orders.getOrder(id);
  }

  @Post(':id/cancel')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Ask to cancel the order; the other services compensate, then it becomes CANCELLED' })
  @ApiAcceptedResponse({ type: OrderView })
  cancel(@Param('id') id: string, @Body() body: CancelOrderDto = {}): Promise<OrderView> {
    return this.orders.requestCancellation(id, body ?? {});
  }
}
