import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { JobsOptions, Queue } from 'bullmq';
import { createLogger, currentTraceHeaders } from '@commerce/platform';
import { type CheckJobData, jobIds, QUEUE_NAMES, QUEUES, type QueueName, type RangeJobData, type RepairJobData, type RunJobData } from './queues';

/** Job schedulers (BullMQ repeatable jobs) on the runs queue. */
export const SCHEDULES = { incremental: 'incremental-scan', full: 'full-scan' } as const;

/** Enqueues the service's jobs with ids derived from what they are about (enqueuing twice is harmless). */
@Injectable()
export class JobQueues {
  private readonly log = createLogger('job-queues');

  constructor(
    @InjectQueue(QUEUES.runs) readonly runs: Queue<RunJobData>,
    @InjectQueue(QUEUES.checks) readonly checks: Queue<CheckJobData>,
    @InjectQueue(QUEUES.repairs) readonly repairs: Queue<RepairJobData>,
    @InjectQueue(QUEUES.ranges) readonly ranges: Queue<RangeJobData>,
  ) {}

  enqueueRun(runId: string, kind: RunJobData['kind']): Promise<void> {
    return this.once(this.runs, 'run', { runId, kind, trigger: 'api' }, jobIds.run(runId));
  }

  enqueueCheck(runId: string, data: Omit<CheckJobData, 'runId'>, options: JobsOptions = {}): Promise<void> {
    return this.once(this.checks, 'check', { ...data, runId }, jobIds.check(runId), options);
  }

  enqueueVerification(caseId: string, attempt: number, orderId: string, delayMs: number): Promise<void> {
    const jobId = jobIds.verification(caseId, attempt);
    return this.once(this.checks, 'check', { orderIds: [orderId], trigger: 'repair-verification', caseId }, jobId, { delay: delayMs });
  }

  enqueueRepairs(repairs: RepairJobData[]): Promise<void> {
    const trace = currentTraceHeaders();
    return Promise.all(repairs.map((data) => this.once(this.repairs, 'repair', { ...data, trace }, jobIds.repair(data.caseId, data.attempt)))).then(() => undefined);
  }

  /** One job per range of a full scan; any instance's worker takes them (re-enqueuing is harmless). */
  enqueueRanges(runId: string, indexes: readonly number[]): Promise<void> {
    const trace = currentTraceHeaders();
    return Promise.all(indexes.map((index) => this.once(this.ranges, 'range', { runId, index, trace }, jobIds.range(runId, index)))).then(() => undefined);
  }

  /** Creates, updates or (every = 0) removes the repeatable scans. */
  async schedule(incrementalEveryMs: number, fullEveryMs: number, jobOptions: Pick<JobsOptions, 'attempts' | 'backoff'>): Promise<void> {
    const plans = [
      { id: SCHEDULES.incremental, every: incrementalEveryMs, data: { kind: 'incremental', trigger: 'schedule' } as RunJobData },
      { id: SCHEDULES.full, every: fullEveryMs, data: { kind: 'full', trigger: 'schedule' } as RunJobData },
    ];
    for (const plan of plans) {
      if (plan.every > 0) {
        await this.runs.upsertJobScheduler(plan.id, { every: plan.every }, { name: plan.id, data: plan.data, opts: jobOptions });
      } else {
        await this.runs.removeJobScheduler(plan.id);
      }
    }
  }

  /** Waiting, active, delayed, failed... per queue (for /stats). */
  async counts(): Promise<Record<QueueName, Record<string, number>>> {
    const queues: Record<QueueName, Queue> = { runs: this.runs, checks: this.checks, repairs: this.repairs, ranges: this.ranges };
    const entries = await Promise.all(
      QUEUE_NAMES.map(async (name) => [name, await queues[name].getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed', 'prioritized')] as const),
    );
    return Object.fromEntries(entries) as Record<QueueName, Record<string, number>>;
  }

  /**
   * Adds the job unless one with this id exists; a failed one (retries exhausted) is retried, so
   * a later detection can revive a repair that gave up.
   */
  private async once<T>(queue: Queue<T>, name: string, data: T, jobId: string, options: JobsOptions = {}): Promise<void> {
    const existing = await queue.getJob(jobId);
    if (existing) {
      if (await existing.isFailed()) {
        this.log.info({ queue: queue.name, jobId }, 're-running a failed job');
        await existing.retry('failed');
      }
      return;
    }
    // The generic Queue<T> types `name` and `data` through helpers that TypeScript cannot follow here.
    await (queue as unknown as Queue).add(name, data, { ...options, jobId });
  }
}
