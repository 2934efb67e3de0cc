import { type DynamicModule, Module } from '@nestjs/common';
import { SERVICES } from '@commerce/contracts';
import { serviceInfrastructure } from '@commerce/messaging';
import { milestoneDocumentOptions, MilestoneDocumentsCompact1764400000000 } from '@commerce/platform';
import type { ServiceConfig } from './config';
import { ConsumersModule } from './consumers/consumers.module';
import { InventoryTables1763780000000 } from './migrations/1763780000000-inventory-tables';
import { ReservationByOrderId1764000000000 } from './migrations/1764000000000-reservation-by-order-id';
import { ReservationUpdatedAtTriggers1764100000000 } from './migrations/1764100000000-reservation-updated-at-triggers';
import { InventoryMilestoneDocuments1764200000000 } from './migrations/1764200000000-inventory-milestone-documents';
import { InventoryMilestoneDocumentGenerations1764300000000 } from './migrations/1764300000000-inventory-milestone-document-generations';
import { MilestonesModule } from './milestones/milestones.module';
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
          migrations: [InventoryTables1763780000000, ReservationByOrderId1764000000000, ReservationUpdatedAtTriggers1764100000000, InventoryMilestoneDocuments1764200000000, InventoryMilestoneDocumentGenerations1764300000000, MilestoneDocumentsCompact1764400000000],
        }),
        StockModule,
        ReservationsModule,
        ConsumersModule,
        MilestonesModule.forRoot(milestoneDocumentOptions(config)),
      ],
    };
  }
}
