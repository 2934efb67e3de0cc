import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module';
import { InventoryEventsConsumer } from '../consumers/inventory-events.consumer';
import { NotificationEventsConsumer } from '../consumers/notification-events.consumer';
import { PaymentEventsConsumer } from '../consumers/payment-events.consumer';
import { SourcesModule } from '../sources/sources.module';
import { RepairRefusals } from './repair-refusals';
import { RepairService } from './repair.service';

// One consumer per upstream service; each takes only that service's refusals of repair commands.
@Module({
  imports: [CasesModule, SourcesModule],
  providers: [RepairService, RepairRefusals],
  controllers: [InventoryEventsConsumer, PaymentEventsConsumer, NotificationEventsConsumer],
  exports: [RepairService],
})
export class RepairsModule {}
