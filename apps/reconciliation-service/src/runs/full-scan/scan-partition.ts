import { ruleCatalog } from '../../rules/catalog';
import { concatJudged, type JudgedBatch, judgeBatch } from '../../rules/judge-batch';
import { SOURCE_SERVICES, type SourceService } from '../../rules/order-view';
import { mergeJoin } from '../../sources/merge-join';
import { MilestoneClient, type MilestoneClientOptions } from '../../sources/milestone-client';
import { type KeyRange, upTo } from './partitions';

/** What one partition of a full scan needs: plain data, so it can run in a worker thread. */
export interface PartitionSpec {
  index: number;
  /** Where to start (a resumed run: after its checkpoint) and where to stop. */
  range: KeyRange;
  clients: Record<SourceService, MilestoneClientOptions>;
  batchSize: number;
  /** The RULE_GRACE_MS_* settings. */
  graceSettings: Record<string, number | undefined>;
}

/** Where a partition sends what it finds; `batch` resolves once the batch is written. */
export interface PartitionSink {
  batch(last: string, batch: JudgedBatch): Promise<void>;
  unavailable(service: SourceService, reason: string): void;
  retrying(service: SourceService, attempt: number, reason: string): void;
}

/**
 * Scans one orderId range: merge-joins the five services' streams over it, judges the views a few
 * hundred at a time, and hands the sink batches of `batchSize` orders. The next batch is fetched
 * and judged while the previous one is written (at most one batch waits, so memory stays at a few
 * pages of text and the judged batches' ids and findings).
 */
export async function scanPartition(spec: PartitionSpec, sink: PartitionSink, shouldStop: () => boolean): Promise<'done' | 'stopped'> {
  const rules = ruleCatalog(spec.graceSettings);
  const clients = SOURCE_SERVICES.map(
    (service) =>
      new MilestoneClient({
        ...spec.clients[service],
        onRetry: ({ attempt, error }) => sink.retrying(service, attempt, error instanceof Error ? error.message : String(error)),
      }),
  );
  try {
    return await judgeRange(spec, sink, shouldStop, rules, clients);
  } finally {
    for (const client of clients) client.close();
  }
}

/**
 * Views judged at a time. The join reads each record out of its page as it gets to it, and a
 * view lives until its small batch is judged: in V8's young generation almost everything a scan
 * parses then dies before a scavenge, where batches of 5000 views (and pages parsed whole) were
 * copied and promoted, and the collector's threads cost a third of the scan's CPU.
 */
const JUDGE_EVERY = 250;

async function judgeRange(
  spec: PartitionSpec,
  sink: PartitionSink,
  shouldStop: () => boolean,
  rules: ReturnType<typeof ruleCatalog>,
  clients: MilestoneClient[],
): Promise<'done' | 'stopped'> {
  const streams = Object.fromEntries(clients.map((client) => [client.service, upTo(client.inOrderIdOrder(spec.range.after), spec.range.upTo)]));
  let written: Promise<void> = Promise.resolve();
  let judged: JudgedBatch[] = [];
  let orders = 0;
  const write = async () => {
    const batch = concatJudged(judged);
    judged = [];
    orders = 0;
    await written;
    written = sink.batch(batch.orderIds[batch.orderIds.length - 1], batch);
  };
  const views = mergeJoin(streams, { batchSize: Math.min(JUDGE_EVERY, spec.batchSize), onUnavailable: (service, error) => sink.unavailable(service, error.message) });
  for await (const small of views) {
    if (shouldStop()) {
      await written;
      return 'stopped';
    }
    judged.push(judgeBatch(rules, small, new Date()));
    orders += small.length;
    if (orders >= spec.batchSize) await write();
  }
  if (orders > 0) await write();
  await written;
  return 'done';
}
