import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module';
import { SourcesModule } from '../sources/sources.module';
import { Reconciler } from './reconciler';
import { RunExecutor } from './run-executor';
import { RunStore } from './run-store';
import { RunsController } from './runs.controller';
import { RunsService } from './runs.service';

@Module({
  imports: [CasesModule, SourcesModule],
  providers: [RunStore, Reconciler, RunExecutor, RunsService],
  controllers: [RunsController],
  exports: [RunStore, RunExecutor, RunsService],
})
export class RunsModule {}
