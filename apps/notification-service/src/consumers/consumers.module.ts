import { type DynamicModule, Module } from '@nestjs/common';
import { InventoryEventsConsumer } from './inventory-events.consumer';
import { OrderEventsConsumer } from './order-events.consumer';
import { PaymentEventsConsumer } from './payment-events.consumer';
import { ReconciliationCommandsConsumer } from './reconciliation-commands.consumer';
import { ShipmentEventsConsumer } from './shipment-events.consumer';

/** One consumer class per upstream service; each method hands the event to the domain service. */
@Module({})
export class ConsumersModule {
  /** @param notifications the app's one NotificationsModule instance (pass the same object the app imports) */
  static forRoot(notifications: DynamicModule): DynamicModule {
    return {
      module: ConsumersModule,
      imports: [notifications],
      controllers: [OrderEventsConsumer, InventoryEventsConsumer, PaymentEventsConsumer, ShipmentEventsConsumer, ReconciliationCommandsConsumer],
    };
  }
}
