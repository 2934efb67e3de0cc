import { Inject, Injectable } from '@nestjs/common';
import type { Job } from 'bullmq';
import { createLogger } from '@commerce/platform';
import type { ServiceConfig } from '../config';
import { RunExecutor } from '../runs/run-executor';
import { RunStore } from '../runs/run-store';
import type { RunKind, RunStatus } from '../runs/run.entity';
import { RECON_CONFIG } from '../settings.module';
import { type JobProcessor, WorkerLifecycle } from './job-processor';
import { type CheckJobData, QUEUES, type RunJobData, runIdForJob } from './queues';
import { handBack, jobControl, RunInterruptedError } from './run-interrupted';

/** `running`: a full scan split into its ranges, which go on as jobs of the ranges queue. */
export type RunJobOutcome = { outcome: RunStatus | 'already-finished'; runId: string; ordersChecked?: number };

/**
 * The shared part of the run-like processors: find or create the run row (scheduled jobs derive
 * the run id from the job id, so a retried job continues the same run), mark it running, execute,
 * and record a failure when no attempt is left.
 */
@Injectable()
export class RunJobRunner {
  private readonly log = createLogger('runs');

  constructor(
    private readonly runs: RunStore,
    private readonly executor: RunExecutor,
    private readonly lifecycle: WorkerLifecycle,
  ) {}

  async run(job: Job, token: string | undefined, signal: AbortSignal | undefined, seed: { runId?: string; kind: RunKind; trigger: string; orderIds?: string[] }): Promise<RunJobOutcome> {
    const runId = seed.runId ?? runIdForJob(job.queueName, String(job.id));
    if (!seed.runId) await this.runs.create({ id: runId, kind: seed.kind, trigger: seed.trigger, orderIds: seed.orderIds ?? null });
    const run = await this.runs.start(runId);
    if (!run) return { outcome: 'already-finished', runId };

    const control = jobControl(job, this.lifecycle, signal, { runId });
    try {
      const status = await this.executor.execute(run, control);
      const finished = await this.runs.get(runId);
      return { outcome: status, runId, ordersChecked: finished.ordersChecked };
    } catch (error) {
      if (error instanceof RunInterruptedError) {
        this.log.info({ runId, jobId: job.id }, 'run interrupted; handing the job back to the queue');
        return handBack(job, token);
      }
      const final = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      await this.runs.recordFailure(runId, error as Error, final);
      throw error;
    }
  }
}

@Injectable()
export class RunProcessor implements JobProcessor<RunJobData, RunJobOutcome> {
  readonly queue = QUEUES.runs;
  readonly concurrency: number;

  constructor(
    @Inject(RECON_CONFIG) config: ServiceConfig,
    private readonly runner: RunJobRunner,
  ) {
    this.concurrency = config.RUN_CONCURRENCY;
  }

  process(job: Job<RunJobData>, token: string | undefined, signal: AbortSignal | undefined): Promise<RunJobOutcome> {
    return this.runner.run(job, token, signal, job.data);
  }
}

@Injectable()
export class CheckProcessor implements JobProcessor<CheckJobData, RunJobOutcome> {
  readonly queue = QUEUES.checks;
  readonly concurrency: number;

  constructor(
    @Inject(RECON_CONFIG) config: ServiceConfig,
    private readonly runner: RunJobRunner,
  ) {
    this.concurrency = config.CHECK_CONCURRENCY;
  }

  process(job: Job<CheckJobData>, token: string | undefined, signal: AbortSignal | undefined): Promise<RunJobOutcome> {
    return this.runner.run(job, token, signal, { runId: job.data.runId, kind: 'order', trigger: job.data.trigger, orderIds: job.data.orderIds });
  }
}
