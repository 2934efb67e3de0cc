import { type DynamicModule, Module } from '@nestjs/common';
import { SERVICES } from '@commerce/contracts';
import { serviceInfrastructure } from '@commerce/messaging';
import { MilestonesModule } from '@commerce/milestones';
import type { ServiceConfig } from './config';
import { ConsumersModule } from './consumers/consumers.module';
import { Orders1763800000000 } from './migrations/1763800000000-orders';
import { OrderStatusEnteredAt1767000000000 } from './migrations/1767000000000-order-status-entered-at';
import { milestonesMigrations } from './migrations/milestones';
import { milestonesSource } from './milestones/milestones-source';
import { OrderFactEntity } from './orders/order-fact.entity';
import { OrderEntity } from './orders/order.entity';
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
          migrations: [Orders1763800000000, ...milestonesMigrations, OrderStatusEnteredAt1767000000000],
          stateMachines: [{ machine: 'order', table: 'customer_order', startedColumn: 'placed_at', finalStates: ['REJECTED', 'DELIVERED', 'CANCELLED'] }],
        }),
        OrdersModule,
        ConsumersModule,
        MilestonesModule.forService(milestonesSource, config),
      ],
    };
  }
}
