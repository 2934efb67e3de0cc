import { Module } from '@nestjs/common';
import { RunsModule } from '../runs/runs.module';
import { SourcesModule } from '../sources/sources.module';
import { OrderEventsReader } from './order-events-reader';
import { OrderExplorer } from './order-explorer.service';
import { OrdersController } from './orders.controller';
import { ServicePipesClient } from './service-pipes';

@Module({ imports: [SourcesModule, RunsModule], providers: [OrderEventsReader, ServicePipesClient, OrderExplorer], controllers: [OrdersController] })
export class OrdersModule {}
