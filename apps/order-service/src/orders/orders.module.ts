import { Module } from '@nestjs/common';
import { IdempotencyKeyRequired } from './idempotency-key.guard';
import { OrderStore } from './order-store';
import { OrderTrackingService } from './order-tracking.service';
import { OrdersController } from './orders.controller';
import { OrdersService } from './orders.service';

@Module({
  controllers: [OrdersController],
  providers: [OrdersService, OrderTrackingService, OrderStore, IdempotencyKeyRequired],
  exports: [OrderTrackingService],
})
export class OrdersModule {}
