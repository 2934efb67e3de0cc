import { Module } from '@nestjs/common';
import { RunsModule } from '../runs/runs.module';
import { StatsController } from './stats.controller';
import { ReconciliationMetrics } from './reconciliation-metrics';
import { StatsService } from './stats.service';

@Module({ imports: [RunsModule], providers: [StatsService, ReconciliationMetrics], controllers: [StatsController] })
export class StatsModule {}
