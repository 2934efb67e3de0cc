import { HttpStatus, Injectable } from '@nestjs/common';
import { DomainError, InvalidInputError } from '@commerce/platform';
import { JobQueues } from '../jobs/job-queues';
import { jobIds } from '../jobs/queues';
import type { StartRunDto } from './dto/runs.dto';
import { RangeStore } from './ranges/range-store';
import { RunStore } from './run-store';
import type { RunEntity } from './run.entity';

export class QueueUnavailableError extends DomainError {
  constructor(detail: string) {
    super(HttpStatus.SERVICE_UNAVAILABLE, 'queue-unavailable', 'The job queue is unavailable', detail);
  }
}

/** A run as the API shows it. */
export function runView(run: RunEntity) {
  return {
    id: run.id,
    kind: run.kind,
    mode: run.mode,
    status: run.status,
    trigger: run.trigger,
    requestedBy: run.requestedBy,
    queuedAt: run.queuedAt.toISOString(),
    startedAt: run.startedAt?.toISOString() ?? null,
    finishedAt: run.finishedAt?.toISOString() ?? null,
    attempts: run.attempts,
    ordersChecked: run.ordersChecked,
    checkpoint: run.checkpoint,
    counts: { perRule: run.ruleCounts, outcomes: run.outcomeCounts },
    unavailableServices: run.unavailableServices,
    incompleteRules: run.incompleteRules,
    watermarks: run.watermarks,
    error: run.error,
    /** A full scan's orderId ranges: how many, and how many finished (their counts are in the run's). */
    ranges: run.rangesTotal === null ? null : { total: run.rangesTotal, done: run.rangesDone },
    ...(run.orderIds ? { orderIds: run.orderIds } : {}),
  };
}

/** Starting runs on demand and reading them back. */
@Injectable()
export class RunsService {
  constructor(
    private readonly runs: RunStore,
    private readonly queues: JobQueues,
    private readonly ranges: RangeStore,
  ) {}

  async start(request: StartRunDto, requestedBy: string | null) {
    if (request.kind !== 'order' && request.orderIds !== undefined) {
      throw new InvalidInputError([{ field: 'orderIds', message: 'only for kind=order' }]);
    }
    const run = await this.runs.create({ kind: request.kind, trigger: 'api', requestedBy, orderIds: request.orderIds ?? null });
    try {
      if (run.kind === 'order') await this.queues.enqueueCheck(run.id, { orderIds: run.orderIds ?? [], trigger: 'api' });
      else await this.queues.enqueueRun(run.id, run.kind);
    } catch (error) {
      await this.runs.recordFailure(run.id, error as Error, true);
      throw new QueueUnavailableError(`run ${run.id} could not be queued: ${(error as Error).message}`);
    }
    return { runId: run.id, kind: run.kind, status: run.status, href: `/runs/${run.id}` };
  }

  async list(query: { kind?: RunEntity['kind']; cursor?: string; limit?: number }) {
    const page = await this.runs.list({ kind: query.kind, cursor: query.cursor, limit: query.limit ?? 20 });
    return { items: page.items.map(runView), nextCursor: page.nextCursor };
  }

  /**
   * The run with its job's state and progress (when the job is still in Redis), and a full scan's
   * ranges: each one's state, the instance that took it, its attempts and what it checked so far.
   */
  async detail(id: string) {
    const run = await this.runs.get(id);
    const job = run.kind === 'order' ? await this.queues.checks.getJob(jobIds.check(id)) : await this.queues.runs.getJob(jobIds.run(id));
    const ranges = run.rangesTotal === null ? null : await this.ranges.list(id);
    return {
      ...runView(run),
      ranges: ranges && {
        total: run.rangesTotal ?? ranges.length,
        done: run.rangesDone,
        /** Orders checked so far, the ranges in progress included (`ordersChecked` counts finished ranges). */
        ordersChecked: ranges.reduce((sum, range) => sum + range.ordersChecked, 0),
        items: ranges.map((range) => ({
          index: range.index,
          after: range.range.after,
          upTo: range.range.upTo,
          status: range.status,
          attempts: range.attempts,
          takenBy: range.takenBy,
          ordersChecked: range.ordersChecked,
          closedRun: range.closedRun,
        })),
      },
      job: job ? { id: job.id, state: await job.getState(), attemptsMade: job.attemptsMade, progress: job.progress, failedReason: job.failedReason ?? null } : null,
    };
  }
}
