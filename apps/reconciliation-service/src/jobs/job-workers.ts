import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown, type BeforeApplicationShutdown } from '@nestjs/common';
import { type Job, Worker } from 'bullmq';
import { createLogger, redisConnection, withJobSpan } from '@commerce/platform';
import type { ServiceConfig } from '../config';
import { RECON_CONFIG } from '../settings.module';
import { JobQueues } from './job-queues';
import { JOB_PROCESSORS, type JobProcessor, WorkerLifecycle } from './job-processor';
import { jobOptions, QUEUE_NAMES, type QueueName } from './queues';

export class MissingProcessorError extends Error {
  constructor(queues: string[]) {
    super(`no processor for queue(s) ${queues.join(', ')}: every queue needs exactly one processor`);
    this.name = 'MissingProcessorError';
  }
}

/** Start-up check: every queue has exactly one processor, and no processor serves an unknown queue. */
export function assertEveryQueueHasAProcessor(processors: readonly Pick<JobProcessor, 'queue'>[], queues: readonly string[] = QUEUE_NAMES): void {
  const missing = queues.filter((queue) => !processors.some((p) => p.queue === queue));
  if (missing.length > 0) throw new MissingProcessorError(missing);
  const duplicated = queues.filter((queue) => processors.filter((p) => p.queue === queue).length > 1);
  if (duplicated.length > 0) throw new Error(`more than one processor for queue(s) ${duplicated.join(', ')}`);
  const unknown = processors.filter((p) => !queues.includes(p.queue)).map((p) => p.queue);
  if (unknown.length > 0) throw new Error(`processor(s) for unknown queue(s) ${unknown.join(', ')}`);
}

/**
 * The BullMQ workers, one per queue, built from the validated config (concurrency, lock and
 * stalled-check times) rather than from decorators, and started only once the application is
 * up; start-up fails if a queue has no processor. Also installs the repeatable scans.
 */
@Injectable()
export class JobWorkers implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly log = createLogger('jobs');
  private readonly workers = new Map<QueueName, Worker>();

  constructor(
    @Inject(RECON_CONFIG) private readonly config: ServiceConfig,
    @Inject(JOB_PROCESSORS) private readonly processors: JobProcessor[],
    private readonly lifecycle: WorkerLifecycle,
    private readonly queues: JobQueues,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    assertEveryQueueHasAProcessor(this.processors);
    for (const processor of this.processors) {
      const work = (job: Job, token?: string, signal?: AbortSignal) =>
        withJobSpan(processor.queue, (job.data as { trace?: Record<string, string> }).trace, { 'job.id': job.id ?? '', 'job.name': job.name }, () =>
          processor.process(job, token, signal),
        );
      const worker = new Worker(processor.queue, work, {
        connection: redisConnection(this.config.REDIS_URL, this.config.REDIS_TLS_CA_FILE),
        prefix: this.config.RECONCILIATION_QUEUE_PREFIX,
        concurrency: processor.concurrency,
        lockDuration: this.config.JOB_LOCK_MS,
        stalledInterval: this.config.JOB_STALLED_CHECK_MS,
        // A job whose worker died is moved back once per death, up to twice, before it fails.
        maxStalledCount: 2,
        autorun: false,
      });
      worker.on('failed', (job, error) =>
        this.log.warn({ queue: processor.queue, jobId: job?.id, attemptsMade: job?.attemptsMade, err: error }, 'job attempt failed'),
      );
      worker.on('error', (error) => this.log.error({ queue: processor.queue, err: error }, 'worker error'));
      this.workers.set(processor.queue, worker);
      void worker.run().catch((error: unknown) => this.log.error({ queue: processor.queue, err: error }, 'worker stopped'));
    }
    await Promise.all([...this.workers.values()].map((worker) => worker.waitUntilReady()));
    await this.queues.schedule(this.config.INCREMENTAL_SCAN_EVERY_MS, this.config.FULL_SCAN_EVERY_MS, jobOptions(this.config));
    this.log.info({ queues: [...this.workers.keys()], prefix: this.config.RECONCILIATION_QUEUE_PREFIX }, 'job workers started');
  }

  /** Lets long runs stop between batches (they resume from their checkpoint on the next worker). */
  beforeApplicationShutdown(): void {
    this.lifecycle.stopping = true;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.close(false);
  }

  /** `force` drops the jobs in flight as a crash would: their locks expire and another worker takes them. */
  async close(force: boolean): Promise<void> {
    this.lifecycle.stopping = true;
    await Promise.all([...this.workers.values()].map((worker) => worker.close(force)));
  }
}
