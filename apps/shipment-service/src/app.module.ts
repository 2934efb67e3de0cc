import { type DynamicModule, Module } from '@nestjs/common';
import { SERVICES } from '@commerce/contracts';
import { serviceInfrastructure } from '@commerce/messaging';
import { MilestonesModule } from '@commerce/milestones';
import type { ServiceConfig } from './config';
import { ConsumersModule } from './consumers/consumers.module';
import { Shipments1763800000000 } from './migrations/1763800000000-shipments';
import { OrderFactsByOrderId1764000000000 } from './migrations/1764000000000-order-facts-by-order-id';
import { milestonesMigrations } from './migrations/milestones';
import { milestonesSource } from './milestones/milestones-source';
import { OrderFacts } from './shipments/order-facts.entity';
import { Shipment } from './shipments/shipment.entity';
import { ShipmentsModule } from './shipments/shipments.module';

@Module({})
export class AppModule {
  static forRoot(config: ServiceConfig): DynamicModule {
    const shipments = ShipmentsModule.forRoot({
      dispatchAfterSeconds: config.AUTO_DISPATCH_SECONDS,
      deliverAfterSeconds: config.AUTO_DELIVER_SECONDS,
      sweepIntervalMs: config.AUTO_SWEEP_INTERVAL_MS,
    });
    return {
      module: AppModule,
      imports: [
        ...serviceInfrastructure({
          service: SERVICES.shipment,
          config,
          entities: [OrderFacts, Shipment],
          migrations: [Shipments1763800000000, OrderFactsByOrderId1764000000000, ...milestonesMigrations],
          stateMachines: [{ machine: 'shipment', table: 'shipment', finalStates: ['DELIVERED', 'CANCELLED'] }],
        }),
        shipments,
        ConsumersModule.forRoot(shipments),
        MilestonesModule.forService(milestonesSource, config),
      ],
    };
  }
}
