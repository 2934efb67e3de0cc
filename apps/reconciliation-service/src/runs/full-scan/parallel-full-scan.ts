import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { JudgedBatch } from '../../rules/judge-batch';
import type { SourceService } from '../../rules/order-view';
import { type PartitionSink, type PartitionSpec, scanPartition } from './scan-partition';
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
 * Per worker thread. The old generation is capped, so a scan's memory stays bounded whatever its
 * size. The young generation is large: a scan parses pages of a thousand documents from five
 * services at once, objects that all die within a batch; in V8's default young generation (16 MB
 * semi-spaces) they outlive the scavenges and are promoted, and garbage collection takes as much
 * CPU as the parsing and judging (docs/operations.md). 192 MB of young generation is three
 * semi-spaces of 64 MB.
 */
const WORKER_LIMITS = { maxOldGenerationSizeMb: 256, maxYoungGenerationSizeMb: 192 };

/** This process's `--cpu-prof*` flags, passed on to the scan threads. */
const PROFILING = process.execArgv.filter((flag) => flag.startsWith('--cpu-prof'));

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
  // Under ts (dev, tests) the worker compiles its TypeScript the way the service does.
  const typescript = __filename.endsWith('.ts');
  const worker = new Worker(path.join(__dirname, `scan-worker.${typescript ? 'ts' : 'js'}`), {
    workerData: spec,
    // `node --cpu-prof` profiles the scan threads too (one profile each, written as they exit).
    execArgv: [...(typescript ? ['-r', '@swc-node/register'] : []), ...PROFILING],
    resourceLimits: WORKER_LIMITS,
  });
  const send = (message: ToWorker) => worker.postMessage(message);
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    const finish = (error?: unknown) => {
      if (settled) return;
      settled = true;
      // A profiled thread that finished is given a moment to exit by itself and write its profile.
      if (PROFILING.length > 0 && !error) setTimeout(() => void worker.terminate(), 5_000).unref();
      else void worker.terminate();
      if (error) reject(error);
      else resolve();
    };
    worker.on('message', (message: FromWorker) => {
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
    });
    worker.on('error', (error) => finish(error));
    worker.on('exit', (code) => finish(code === 0 ? undefined : new Error(`full-scan partition ${spec.index} exited with code ${code}`)));
  });
}
