import { Inject, Injectable } from '@nestjs/common';
import type { Job } from 'bullmq';
import { createLogger } from '@commerce/platform';
import type { ServiceConfig } from '../config';
import { RangeScanner } from '../runs/ranges/range-scanner';
import { RangeStore } from '../runs/ranges/range-store';
import { RunStore } from '../runs/run-store';
import { RECON_CONFIG } from '../settings.module';
import { type JobProcessor, WorkerLifecycle } from './job-processor';
import { QUEUES, type RangeJobData } from './queues';
import { handBack, jobControl, RunInterruptedError } from './run-interrupted';

export type RangeJobOutcome = {
  /** `closed-run`: the last range to finish, it closed the run; `already-done`: a duplicate or a range of a finished run. */
  outcome: 'scanned' | 'closed-run' | 'already-done';
  runId: string;
  index: number;
  ordersChecked?: number;
};

/**
 * One orderId range of a full scan, on whichever instance's worker took it. A killed instance's
 * range is taken again once its lock expires (stalled) and resumes after its last committed batch;
 * one shutting down hands it back between batches. A range that fails for good fails its run.
 */
@Injectable()
export class RangeProcessor implements JobProcessor<RangeJobData, RangeJobOutcome> {
  readonly queue = QUEUES.ranges;
  readonly concurrency: number;
  private readonly log = createLogger('runs');

  constructor(
    @Inject(RECON_CONFIG) config: ServiceConfig,
    private readonly ranges: RangeStore,
    private readonly scanner: RangeScanner,
    private readonly runs: RunStore,
    private readonly lifecycle: WorkerLifecycle,
  ) {
    this.concurrency = config.FULL_SCAN_PARTITIONS;
  }

  async process(job: Job<RangeJobData>, token: string | undefined, signal: AbortSignal | undefined): Promise<RangeJobOutcome> {
    const { runId, index } = job.data;
    const taken = await this.ranges.take(runId, index, this.lifecycle.instance);
    if (!taken) return { outcome: 'already-done', runId, index };
    try {
      const scanned = await this.scanner.scan(taken, jobControl(job, this.lifecycle, signal, { runId, range: index }));
      return { outcome: scanned.closed ? 'closed-run' : scanned.added ? 'scanned' : 'already-done', runId, index, ordersChecked: scanned.ordersChecked };
    } catch (error) {
      if (error instanceof RunInterruptedError) {
        this.log.info({ runId, range: index, jobId: job.id }, 'range interrupted; handing the job back to the queue');
        return handBack(job, token);
      }
      const final = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      await this.runs.recordFailure(runId, new Error(`range ${index}: ${(error as Error).message}`), final);
      throw error;
    }
  }
}
