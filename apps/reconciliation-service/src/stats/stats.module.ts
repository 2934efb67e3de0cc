import { Module } from '@nestjs/common';
import { RunsModule } from '../runs/runs.module';
import { StatsController } from './stats.controller';
import { StatsService } from './stats.service';

@Module({ imports: [RunsModule], providers: [StatsService], controllers: [StatsController] })
export class StatsModule {}
