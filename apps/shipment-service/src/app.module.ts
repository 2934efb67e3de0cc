import { type DynamicModule, Module } from '@nestjs/common';
import { SERVICES, TOPICS } from '@commerce/contracts';
import { serviceInfrastructure } from '@commerce/messaging';
import { MilestonesModule } from '@commerce/milestones';
import type { ServiceConfig } from './config';
import { milestonesMigrations } from './migrations/milestones';
import { milestonesSource } from './milestones/milestones-source';
import { Shipments1763800000000 } from './migrations/1763800000000-shipments';
import { OrderFactsByOrderId1764000000000 } from './migrations/1764000000000-order-facts-by-order-id';
import { OrderFacts, Shipment } from './shipments/entities';
import { ShipmentsModule } from './shipments/shipments.module';

@Module({})
export class AppModule {
  static forRoot(config: ServiceConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ...serviceInfrastructure({
          service: SERVICES.shipment,
          config,
          entities: [OrderFacts, Shipment],
          migrations: [Shipments1763800000000, OrderFactsByOrderId1764000000000, ...milestonesMigrations],
          subscribe: [TOPICS.orderEvents, TOPICS.inventoryEvents, TOPICS.paymentEvents, TOPICS.reconciliationCommands],
        }),
        ShipmentsModule.forRoot({
          dispatchAfterSeconds: config.AUTO_DISPATCH_SECONDS,
          deliverAfterSeconds: config.AUTO_DELIVER_SECONDS,
          sweepIntervalMs: config.AUTO_SWEEP_INTERVAL_MS,
        }),
        MilestonesModule.forService(milestonesSource, config),
      ],
    };
  }
}
