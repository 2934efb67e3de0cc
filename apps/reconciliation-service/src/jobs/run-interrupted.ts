import { DelayedError, type Job } from 'bullmq';
import type { RunControl } from '../runs/run-executor';
import { jobActor, type WorkerLifecycle } from './job-processor';

/** The worker is shutting down (or the job was cancelled) between two batches of a run. */
export class RunInterruptedError extends Error {
  constructor(reason: string) {
    super(`run interrupted: ${reason}`);
    this.name = 'RunInterruptedError';
  }
}

/**
 * Hands an interrupted job back to the queue without spending an attempt: another worker (or
 * this one after a restart) picks it up and the run resumes from its checkpoint.
 */
export async function handBack(job: Job, token: string | undefined): Promise<never> {
  await job.moveToDelayed(Date.now() + 1000, token);
  throw new DelayedError();
}

/** What a run-like job lets its run do: report progress, and stop between batches when told to. */
export function jobControl(job: Job, lifecycle: WorkerLifecycle, signal: AbortSignal | undefined, about: Record<string, unknown>): RunControl {
  return {
    actor: jobActor(job),
    progress: (progress) => job.updateProgress({ ...about, ...progress }),
    checkpoint: () => {
      if (lifecycle.stopping) throw new RunInterruptedError('the worker is shutting down');
      if (signal?.aborted) throw new RunInterruptedError('the job was cancelled');
    },
  };
}
