import path from 'node:path';
import { Worker } from 'node:worker_threads';

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

/** How long a scan thread waits for another range before it exits. */
const IDLE_MS = 30_000;

/** Idle threads: when each exits unless taken, and its listener for an exit meanwhile. */
const idle = new Map<Worker, { timer: NodeJS.Timeout; onExit: () => void }>();

/**
 * A scan thread: an idle one when there is one, else a new one. A full scan is many ranges, one
 * after another on each instance; starting a thread per range cost its module loading each time
 * (about 1.5 CPU-seconds under @swc-node/register, as in dev and the bench).
 */
export function acquireScanThread(): Worker {
  for (const [worker, { timer, onExit }] of idle) {
    clearTimeout(timer);
    idle.delete(worker);
    worker.off('exit', onExit);
    worker.ref();
    return worker;
  }
  // Under ts (dev, tests) the thread compiles its TypeScript the way the service does.
  const typescript = __filename.endsWith('.ts');
  return new Worker(path.join(__dirname, `scan-worker.${typescript ? 'ts' : 'js'}`), {
    // `node --cpu-prof` profiles the scan threads too (one profile each, written as they exit).
    execArgv: [...(typescript ? ['-r', '@swc-node/register'] : []), ...PROFILING],
    resourceLimits: WORKER_LIMITS,
  });
}

/**
 * A thread that finished its range (its user's listeners removed) waits for the next one; it keeps
 * no process alive meanwhile. (Not `removeAllListeners()`: Node's own listeners on a Worker ref
 * and unref its port as 'message' listeners come and go.)
 */
export function releaseScanThread(worker: Worker): void {
  worker.unref();
  const onExit = () => idle.delete(worker);
  worker.once('exit', onExit);
  const timer = setTimeout(() => {
    idle.delete(worker);
    retire(worker);
  }, IDLE_MS);
  timer.unref();
  idle.set(worker, { timer, onExit });
}

/** Asks the thread to exit by itself (a profiled one writes its profile), and ends it if it does not. */
export function retire(worker: Worker): void {
  worker.postMessage({ type: 'exit' });
  setTimeout(() => void worker.terminate(), PROFILING.length > 0 ? 5_000 : 1_000).unref();
}
