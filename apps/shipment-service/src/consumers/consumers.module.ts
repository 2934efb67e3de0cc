import { type DynamicModule, Module } from '@nestjs/common';
import { InventoryEventsConsumer } from './inventory-events.consumer';
import { OrderEventsConsumer } from './order-events.consumer';
import { PaymentEventsConsumer } from './payment-events.consumer';
import { ReconciliationCommandsConsumer } from './reconciliation-commands.consumer';

/** One consumer class per upstream service; each method hands the event to the domain service. */
@Module({})
export class ConsumersModule {
  /** @param shipments the app's one ShipmentsModule instance (pass the same object the app imports) */
  static forRoot(shipments: DynamicModule): DynamicModule {
    return {
      module: ConsumersModule,
      imports: [shipments],
      controllers: [OrderEventsConsumer, InventoryEventsConsumer, PaymentEventsConsumer, ReconciliationCommandsConsumer],
    };
  }
}
