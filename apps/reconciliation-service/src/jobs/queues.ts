import { createHash } from 'node:crypto';
import type { DefaultJobOptions } from 'bullmq';

/** The BullMQ queues (every key under RECONCILIATION_QUEUE_PREFIX). */
export const QUEUES = {
  /** Full and incremental scans (on demand and scheduled). */
  runs: 'runs',
  /** Checks of given orders (on demand, and after a repair to see it converge). */
  checks: 'checks',
  /** Emitting a case's repair commands. */
  repairs: 'repairs',
  /** The orderId ranges of a full scan, taken by any instance's worker (runs/ranges/). */
  ranges: 'ranges',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];
export const QUEUE_NAMES: readonly QueueName[] = Object.values(QUEUES);

export interface RunJobData {
  /** Absent for scheduled jobs: the run id is derived from the job id. */
  runId?: string;
  kind: 'full' | 'incremental';
  trigger: 'api' | 'schedule';
}

export interface CheckJobData {
  runId?: string;
  orderIds: string[];
  trigger: 'api' | 'repair-verification';
  caseId?: string;
}

export interface RepairJobData {
  caseId: string;
  /** The case's repair attempt this job makes (the job is a no-op once the case has made it). */
  attempt: number;
  requestedBy: string;
  /** The trace context of the run that decided the repair, so the repair joins its trace. */
  trace?: Record<string, string>;
}

export interface RangeJobData {
  runId: string;
  /** The range's index in the run's split of the keyspace (its run_range row). */
  index: number;
  /** The trace context of the run that split the scan, so each range joins its trace. */
  trace?: Record<string, string>;
}

/** Job ids derived from what the job is about, so enqueuing twice is harmless (BullMQ ignores a known id). */
export const jobIds = {
  run: (runId: string) => `run-${runId}`,
  check: (runId: string) => `check-${runId}`,
  repair: (caseId: string, attempt: number) => `repair-${caseId}-${attempt}`,
  verification: (caseId: string, attempt: number) => `verify-${caseId}-${attempt}`,
  range: (runId: string, index: number) => `range-${runId}-${index}`,
};

/** A run id (uuid-shaped) derived from a job id, so a retried scheduled job keeps its run. */
export function runIdForJob(queue: string, jobId: string): string {
  const hex = createHash('sha256').update(`${queue}/${jobId}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Retries with exponential backoff, and how long finished jobs stay in Redis (for GET /runs/:id). */
export function jobOptions(config: { JOB_ATTEMPTS: number; JOB_BACKOFF_MS: number }): DefaultJobOptions {
  return {
    attempts: config.JOB_ATTEMPTS,
    backoff: { type: 'exponential', delay: config.JOB_BACKOFF_MS },
    removeOnComplete: { age: 7 * 24 * 3600, count: 10_000 },
    removeOnFail: { age: 30 * 24 * 3600 },
  };
}
