import { DelayedError, type Job } from 'bullmq';

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
