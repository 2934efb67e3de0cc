import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module';
import { SourcesModule } from '../sources/sources.module';
import { RangeScanner } from './ranges/range-scanner';
import { RangeStore } from './ranges/range-store';
import { Reconciler } from './reconciler';
import { RunExecutor } from './run-executor';
import { RunStore } from './run-store';
import { RunsController } from './runs.controller';
import { RunsService } from './runs.service';

@Module({
  imports: [CasesModule, SourcesModule],
  providers: [RunStore, RangeStore, RangeScanner, Reconciler, RunExecutor, RunsService],
  controllers: [RunsController],
  exports: [RunStore, RangeStore, RangeScanner, RunExecutor, RunsService],
})
export class RunsModule {}
