import { type DynamicModule, Module } from '@nestjs/common';
import { SERVICES } from '@commerce/contracts';
import { serviceInfrastructure } from '@commerce/messaging';
import { milestoneDocumentOptions, MilestoneDocumentsCompact1764400000000 } from '@commerce/platform';
import type { ServiceConfig } from './config';
import { ConsumersModule } from './consumers/consumers.module';
import { Orders1763800000000 } from './migrations/1763800000000-orders';
import { OrderUpdatedAtTriggers1764100000000 } from './migrations/1764100000000-customer-order-updated-at-triggers';
import { OrderMilestoneDocuments1764200000000 } from './migrations/1764200000000-order-milestone-documents';
import { OrderMilestoneDocumentGenerations1764300000000 } from './migrations/1764300000000-order-milestone-document-generations';
import { OrderFactEntity } from './orders/order-fact.entity';
import { OrderEntity } from './orders/order.entity';
import { MilestonesModule } from './milestones/milestones.module';
import { OrdersModule } from './orders/orders.module';

@Module({})
export class AppModule {
  static forRoot(config: ServiceConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ...serviceInfrastructure({
          service: SERVICES.order,
          config,
          entities: [OrderEntity, OrderFactEntity],
          migrations: [Orders1763800000000, OrderUpdatedAtTriggers1764100000000, OrderMilestoneDocuments1764200000000, OrderMilestoneDocumentGenerations1764300000000, MilestoneDocumentsCompact1764400000000],
        }),
        OrdersModule,
        ConsumersModule,
        MilestonesModule.forRoot(milestoneDocumentOptions(config)),
      ],
    };
  }
}
