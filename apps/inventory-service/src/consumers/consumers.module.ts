import { Module } from '@nestjs/common';
import { ReservationsModule } from '../reservations/reservations.module';
import { OrderEventsConsumer } from './order-events.consumer';
import { PaymentEventsConsumer } from './payment-events.consumer';
import { ReconciliationCommandsConsumer } from './reconciliation-commands.consumer';
import { ShipmentEventsConsumer } from './shipment-events.consumer';

/** One consumer class per upstream service; each method hands the event to the domain service. */
@Module({
  imports: [ReservationsModule],
  controllers: [OrderEventsConsumer, PaymentEventsConsumer, ShipmentEventsConsumer, ReconciliationCommandsConsumer],
})
export class ConsumersModule {}
