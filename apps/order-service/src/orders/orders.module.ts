import { Module } from '@nestjs/common';
import { InventoryEventsConsumer } from '../consumers/inventory-events.consumer';
import { PaymentEventsConsumer } from '../consumers/payment-events.consumer';
import { ReconciliationCommandsConsumer } from '../consumers/reconciliation-commands.consumer';
import { ShipmentEventsConsumer } from '../consumers/shipment-events.consumer';
import { IdempotencyKeyRequired } from './idempotency-key.guard';
import { OrderStore } from './order-store';
import { OrderTrackingService } from './order-tracking.service';
import { OrdersController } from './orders.controller';
import { OrdersService } from './orders.service';

@Module({
  controllers: [
    OrdersController,
    InventoryEventsConsumer,
    PaymentEventsConsumer,
    ShipmentEventsConsumer,
    ReconciliationCommandsConsumer,
  ],
  providers: [OrdersService, OrderTrackingService, OrderStore, IdempotencyKeyRequired],
})
export class OrdersModule {}
