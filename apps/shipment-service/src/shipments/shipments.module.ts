import { type DynamicModule, Module } from '@nestjs/common';
import { AUTO_DISPATCH_OPTIONS, type AutoDispatchOptions, AutoDispatcher } from './auto-dispatch';
import { ShipmentStore } from './shipment-store';
import { ShipmentTrackingService } from './shipment-tracking.service';
import { ShipmentsController } from './shipments.controller';
import { ShipmentsService } from './shipments.service';

/** Shipments: created from three upstream facts, moved by the warehouse (REST or the demo sweep). */
@Module({})
export class ShipmentsModule {
  static forRoot(autoDispatch: AutoDispatchOptions): DynamicModule {
    return {
      module: ShipmentsModule,
      controllers: [ShipmentsController],
      providers: [ShipmentsService, ShipmentTrackingService, ShipmentStore, AutoDispatcher, { provide: AUTO_DISPATCH_OPTIONS, useValue: autoDispatch }],
      exports: [ShipmentsService, ShipmentTrackingService, AutoDispatcher],
    };
  }
}
