import { Module } from '@nestjs/common';
import { RepairsModule } from '../repairs/repairs.module';
import { RunsModule } from '../runs/runs.module';
import { JOB_PROCESSORS, type JobProcessor, WorkerLifecycle } from './job-processor';
import { JobWorkers } from './job-workers';
import { RangeProcessor } from './range.processor';
import { RepairProcessor } from './repair.processor';
import { CheckProcessor, RunJobRunner, RunProcessor } from './run.processor';

/** The processors (one per queue) and the workers that run them. */
@Module({
  imports: [RunsModule, RepairsModule],
  providers: [
    WorkerLifecycle,
    RunJobRunner,
    RunProcessor,
    CheckProcessor,
    RepairProcessor,
    RangeProcessor,
    {
      provide: JOB_PROCESSORS,
      inject: [RunProcessor, CheckProcessor, RepairProcessor, RangeProcessor],
      useFactory: (...processors: JobProcessor[]) => processors,
    },
    JobWorkers,
  ],
  exports: [JobWorkers],
})
export class JobsModule {}
