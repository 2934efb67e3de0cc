// A full-scan thread (scan-threads.ts keeps them): judges the orderId range it is sent and posts
// each batch to the main thread, which writes it and acknowledges; then waits for the next range.
import { parentPort } from 'node:worker_threads';
import type { JudgedBatch } from '../../rules/judge-batch';
import { type PartitionSpec, scanPartition } from './scan-partition';

export type FromWorker =
  | { type: 'batch'; seq: number; last: string; batch: JudgedBatch }
  | { type: 'unavailable'; service: string; reason: string }
  | { type: 'retrying'; service: string; attempt: number; reason: string }
  | { type: 'finished'; outcome: 'done' | 'stopped' }
  | { type: 'failed'; message: string; stack?: string };
export type ToWorker = { type: 'scan'; spec: PartitionSpec } | { type: 'ack'; seq: number } | { type: 'stop' } | { type: 'exit' };

const port = parentPort;
if (!port) throw new Error('scan-worker.ts runs as a worker thread');
const acknowledgements = new Map<number, () => void>();
let sequence = 0;
let stopping = false;
port.on('message', (message: ToWorker) => {
  switch (message.type) {
    case 'scan':
      stopping = false;
      scan(message.spec);
      break;
    case 'stop':
      stopping = true;
      break;
    case 'ack':
      acknowledgements.get(message.seq)?.();
      acknowledgements.delete(message.seq);
      break;
    case 'exit':
      port.close(); // nothing else keeps the thread: it exits by itself
      break;
  }
});
const post = (message: FromWorker) => port.postMessage(message);

function scan(spec: PartitionSpec): void {
  scanPartition(
    spec,
    {
      batch: (last, batch) =>
        new Promise<void>((resolve) => {
          const seq = ++sequence;
          acknowledgements.set(seq, resolve);
          post({ type: 'batch', seq, last, batch });
        }),
      unavailable: (service, reason) => post({ type: 'unavailable', service, reason }),
      retrying: (service, attempt, reason) => post({ type: 'retrying', service, attempt, reason }),
    },
    () => stopping,
  ).then(
    (outcome) => post({ type: 'finished', outcome }),
    (error: unknown) => post({ type: 'failed', message: error instanceof Error ? error.message : String(error), stack: error instanceof Error ? error.stack : undefined }),
  );
}
