import type { JudgedBatch } from '../../rules/judge-batch';
import type { SourceService } from '../../rules/order-view';
import { type PartitionSink, type PartitionSpec, scanPartition } from './scan-partition';
import { acquireScanThread, releaseScanThread } from './scan-threads';
import type { FromWorker, ToWorker } from './scan-worker';

export interface PartitionCallbacks {
  /** Writes one batch (called one at a time, whatever the partition). */
  batch(index: number, last: string, batch: JudgedBatch): Promise<void>;
  /** A partition reached the end of its range. */
  finished(index: number): Promise<void>;
  unavailable(service: SourceService, reason: string): void;
  retrying(service: SourceService, attempt: number, reason: string): void;
  /** True when the run must stop between batches (it resumes from its checkpoint). */
  shouldStop(): boolean;
}

export class ScanStopped extends Error {
  constructor() {
    super('full scan stopped between batches');
    this.name = 'ScanStopped';
  }
}

/**
 * Runs the partitions of a full scan concurrently, in worker threads (`threads`) so fetching,
 * parsing and judging use several cores, or all in this thread. Whatever the partitions, batches
 * are written one at a time, in the order they arrive; a partition waits for its previous batch to
 * be written before handing over the next (backpressure).
 */
export async function runPartitions(specs: PartitionSpec[], threads: boolean, callbacks: PartitionCallbacks): Promise<void> {
  let writes: Promise<void> = Promise.resolve();
  const state: { failure: Error | null; stopped: boolean } = { failure: null, stopped: false };
  const serialize = (work: () => Promise<void>): Promise<void> => {
    const next = writes.then(async () => {
      if (state.failure) throw state.failure;
      if (callbacks.shouldStop()) {
        state.stopped = true;
        throw new ScanStopped();
      }
      await work();
    });
    writes = next.catch((error: unknown) => {
      state.failure ??= error instanceof Error ? error : new Error(String(error));
    });
    return next;
  };
  const shouldStop = () => state.stopped || state.failure !== null || callbacks.shouldStop();

  const runners = specs.map((spec) => (threads ? inWorker(spec, serialize, callbacks, shouldStop) : inThisThread(spec, serialize, callbacks, shouldStop)));
  const results = await Promise.allSettled(runners);
  await writes;
  const rejected = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (state.failure && !(state.failure instanceof ScanStopped)) throw state.failure;
  if (rejected && !(rejected.reason instanceof ScanStopped)) throw rejected.reason;
  if (state.stopped || state.failure instanceof ScanStopped) throw new ScanStopped();
}

type Serialize = (work: () => Promise<void>) => Promise<void>;

async function inThisThread(spec: PartitionSpec, serialize: Serialize, callbacks: PartitionCallbacks, shouldStop: () => boolean): Promise<void> {
  const sink: PartitionSink = {
    batch: (last, batch) => serialize(() => callbacks.batch(spec.index, last, batch)),
    unavailable: callbacks.unavailable,
    retrying: callbacks.retrying,
  };
  const outcome = await scanPartition(spec, sink, shouldStop);
  if (outcome === 'done') await serialize(() => callbacks.finished(spec.index));
}

function inWorker(spec: PartitionSpec, serialize: Serialize, callbacks: PartitionCallbacks, shouldStop: () => boolean): Promise<void> {
  const worker = acquireScanThread();
  const send = (message: ToWorker) => worker.postMessage(message);
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    const finish = (error?: unknown) => {
      if (settled) return;
      settled = true;
      worker.off('message', onMessage).off('error', finish).off('exit', onExit);
      // A thread that finished its range takes the next one; one that failed or stopped is ended.
      if (error) void worker.terminate();
      else releaseScanThread(worker);
      if (error) reject(error);
      else resolve();
    };
    const onExit = (code: number) => finish(new Error(`full-scan partition ${spec.index}: its thread exited with code ${code}`));
    const onMessage = (message: FromWorker) => {
      switch (message.type) {
        case 'batch':
          if (shouldStop()) send({ type: 'stop' });
          serialize(() => callbacks.batch(spec.index, message.last, message.batch)).then(
            () => send({ type: 'ack', seq: message.seq }),
            (error: unknown) => {
              send({ type: 'stop' });
              finish(error);
            },
          );
          break;
        case 'unavailable':
          callbacks.unavailable(message.service as SourceService, message.reason);
          break;
        case 'retrying':
          callbacks.retrying(message.service as SourceService, message.attempt, message.reason);
          break;
        case 'finished':
          if (message.outcome === 'stopped') finish(new ScanStopped());
          else serialize(() => callbacks.finished(spec.index)).then(() => finish(), finish);
          break;
        case 'failed':
          finish(Object.assign(new Error(`full-scan partition ${spec.index} failed: ${message.message}`), { stack: message.stack }));
          break;
      }
    };
    worker.on('message', onMessage).on('error', finish).on('exit', onExit);
    send({ type: 'scan', spec });
  });
}
