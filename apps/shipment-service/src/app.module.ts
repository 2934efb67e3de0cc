import { type DynamicModule, Module } from '@nestjs/common';
import { SERVICES } from '@commerce/contracts';
import { serviceInfrastructure } from '@commerce/messaging';
import { milestoneDocumentOptions, MilestoneDocumentsCompact1764400000000 } from '@commerce/platform';
import type { ServiceConfig } from './config';
import { ConsumersModule } from './consumers/consumers.module';
import { MilestonesModule } from './milestones/milestones.module';
import { Shipments1763800000000 } from './migrations/1763800000000-shipments';
import { OrderFactsByOrderId1764000000000 } from './migrations/1764000000000-order-facts-by-order-id';
import { OrderFactsUpdatedAtTriggers1764100000000 } from './migrations/1764100000000-order-facts-updated-at-triggers';
import { ShipmentMilestoneDocuments1764200000000 } from './migrations/1764200000000-shipment-milestone-documents';
import { ShipmentMilestoneDocumentGenerations1764300000000 } from './migrations/1764300000000-shipment-milestone-document-generations';
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
          migrations: [Shipments1763800000000, OrderFactsByOrderId1764000000000, OrderFactsUpdatedAtTriggers1764100000000, ShipmentMilestoneDocuments1764200000000, ShipmentMilestoneDocumentGenerations1764300000000, MilestoneDocumentsCompact1764400000000],
        }),
        shipments,
        ConsumersModule.forRoot(shipments),
        MilestonesModule.forRoot(milestoneDocumentOptions(config)),
      ],
    };
  }
}
