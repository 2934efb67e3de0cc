import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ListShipmentsQuery } from './dto/list-shipments.query';
import { ShipmentView } from './shipment-view';
import { ShipmentsService } from './shipments.service';

@ApiTags('shipments')
@Controller('shipments')
export class ShipmentsController {
  constructor(private readonly shipments: ShipmentsService) {}

  @Get()
  @ApiOperation({ summary: "An order's shipments, one per warehouse node" })
  @ApiOkResponse({ type: [ShipmentView] })
  list(@Query() query: ListShipmentsQuery): Promise<ShipmentView[]> {
    return this.shipments.listForOrder(query.orderId);
  }

  @Get(':id')
  @ApiOkResponse({ type: ShipmentView })
  @ApiNotFoundResponse({ description: 'problem details' })
  get(@Param('id') id: string): Promise<ShipmentView> {
    return this.shipments.get(id);
  }

  @Post(':id/dispatch')
  @HttpCode(200)
  @ApiOperation({ summary: 'The warehouse handed the shipment over (CREATED → DISPATCHED); emits ShipmentDispatched' })
  @ApiOkResponse({ type: ShipmentView })
  @ApiNotFoundResponse({ description: 'problem details' })
  @ApiConflictResponse({ description: 'problem details: the shipment is not CREATED' })
  dispatch(@Param('id') id: string): Promise<ShipmentView> {
    return this.shipments.dispatch(id);
  }

  @Post(':id/deliver')
  @HttpCode(200)
  @ApiOperation({ summary: 'The carrier delivered the shipment (DISPATCHED → DELIVERED); emits ShipmentDelivered' })
  @ApiOkResponse({ type: ShipmentView })
  @ApiNotFoundResponse({ description: 'problem details' })
  @ApiConflictResponse({ description: 'problem details: the shipment is not DISPATCHED' })
  deliver(@Param('id') id: string): Promise<ShipmentView> {
    return this.shipments.deliver(id);
  }
}
