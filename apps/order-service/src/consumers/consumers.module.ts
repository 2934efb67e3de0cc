import { Module } from '@nestjs/common';
import { OrdersModule } from '../orders/orders.module';
import { InventoryEventsConsumer } from './inventory-events.consumer';
import { PaymentEventsConsumer } from './payment-events.consumer';
import { ReconciliationCommandsConsumer } from './reconciliation-commands.consumer';
import { ShipmentEventsConsumer } from './shipment-events.consumer';

/** One consumer class per upstream service; each method hands the event to the domain service. */
@Module({
  imports: [OrdersModule],
  controllers: [InventoryEventsConsumer, PaymentEventsConsumer, ShipmentEventsConsumer, ReconciliationCommandsConsumer],
})
export class ConsumersModule {}
