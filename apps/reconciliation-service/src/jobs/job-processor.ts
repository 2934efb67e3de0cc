import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Injectable } from '@nestjs/common';
import type { Job } from 'bullmq';
import type { QueueName } from './queues';

/**
 * A queue's processor: returns an explicit outcome (kept as the job's return value), throws to
 * have BullMQ retry with exponential backoff. Every queue has exactly one (checked at start-up).
 */
export interface JobProcessor<D = unknown, R extends { outcome: string } = { outcome: string }> {
  readonly queue: QueueName;
  /** How many jobs of the queue one worker runs at once. */
  readonly concurrency: number;
  process(job: Job<D>, token: string | undefined, signal: AbortSignal | undefined): Promise<R>;
}

/** Provider token: the processors, one per queue. */
export const JOB_PROCESSORS = Symbol('JOB_PROCESSORS');

/** Set when the workers are shutting down: long runs stop between batches and resume elsewhere. */
@Injectable()
export class WorkerLifecycle {
  stopping = false;
  /** This instance, as the ranges it takes record it (host, pid, and a tag: two apps in one process differ). */
  readonly instance = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

/** The actor written in audit trails for what a job does. */
export function jobActor(job: Job): string {
  return `job:${job.queueName}/${job.id}`;
}
