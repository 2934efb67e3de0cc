import { Module } from '@nestjs/common';
import { ReservationStore } from './reservation-store';
import { ReservationTrackingService } from './reservation-tracking.service';
import { ReservationsController } from './reservations.controller';
import { ReservationsService } from './reservations.service';

@Module({
  controllers: [ReservationsController],
  providers: [ReservationsService, ReservationTrackingService, ReservationStore],
  exports: [ReservationTrackingService],
})
export class ReservationsModule {}
