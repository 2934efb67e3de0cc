import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module';
import { PaymentEventsConsumer } from '../consumers/payment-events.consumer';
import { SourcesModule } from '../sources/sources.module';
import { RepairRefusals } from './repair-refusals';
import { RepairService } from './repair.service';

@Module({ imports: [CasesModule, SourcesModule], providers: [RepairService, RepairRefusals], controllers: [PaymentEventsConsumer], exports: [RepairService] })
export class RepairsModule {}
