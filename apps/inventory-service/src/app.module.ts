import { type DynamicModule, Module } from '@nestjs/common';
import { SERVICES } from '@commerce/contracts';
import { serviceInfrastructure } from '@commerce/messaging';
import { MilestonesModule } from '@commerce/milestones';
import type { ServiceConfig } from './config';
import { ConsumersModule } from './consumers/consumers.module';
import { InventoryTables1763780000000 } from './migrations/1763780000000-inventory-tables';
import { ReservationByOrderId1764000000000 } from './migrations/1764000000000-reservation-by-order-id';
import { ReservationStatusEnteredAt1767000000000 } from './migrations/1767000000000-reservation-status-entered-at';
import { milestonesMigrations } from './migrations/milestones';
import { milestonesSource } from './milestones/milestones-source';
import { Reservation, ReservationCommit, ReservationLine } from './reservations/reservation.entity';
import { ReservationsModule } from './reservations/reservations.module';
import { StockLevel } from './stock/stock-level.entity';
import { StockModule } from './stock/stock.module';

@Module({})
export class AppModule {
  static forRoot(config: ServiceConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ...serviceInfrastructure({
          service: SERVICES.inventory,
          config,
          entities: [StockLevel, Reservation, ReservationLine, ReservationCommit],
          migrations: [InventoryTables1763780000000, ReservationByOrderId1764000000000, ...milestonesMigrations, ReservationStatusEnteredAt1767000000000],
          stateMachines: [{ machine: 'reservation', table: 'reservation', finalStates: ['COMMITTED', 'RELEASED', 'REJECTED'] }],
        }),
        StockModule,
        ReservationsModule,
        ConsumersModule,
        MilestonesModule.forService(milestonesSource, config),
      ],
    };
  }
}
