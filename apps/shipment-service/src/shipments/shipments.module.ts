import { type DynamicModule, Module } from '@nestjs/common';
import { InventoryEventsConsumer } from '../consumers/inventory-events.consumer';
import { OrderEventsConsumer } from '../consumers/order-events.consumer';
import { PaymentEventsConsumer } from '../consumers/payment-events.consumer';
import { ReconciliationCommandsConsumer } from '../consumers/reconciliation-commands.consumer';
import { AUTO_DISPATCH_OPTIONS, type AutoDispatchOptions, AutoDispatcher } from './auto-dispatch';
import { ShipmentsController } from './shipments.controller';
import { ShipmentsService } from './shipments.service';

/** Shipments: created from three upstream facts, moved by the warehouse (REST or the demo sweep). */
@Module({})
export class ShipmentsModule {
  static forRoot(autoDispatch: AutoDispatchOptions): DynamicModule {
    return {
      module: ShipmentsModule,
      controllers: [ShipmentsController, OrderEventsConsumer, InventoryEventsConsumer, PaymentEventsConsumer, ReconciliationCommandsConsumer],
      providers: [ShipmentsService, AutoDispatcher, { provide: AUTO_DISPATCH_OPTIONS, useValue: autoDispatch }],
      exports: [ShipmentsService, AutoDispatcher],
    };
  }
}
