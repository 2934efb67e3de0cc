import { ruleCatalog } from '../../rules/catalog';
import { type JudgedBatch, judgeBatch } from '../../rules/judge-batch';
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
 * Scans one orderId range: merge-joins the five services' streams over it, judges each batch, and
 * hands it to the sink. The next batch is fetched and judged while the previous one is written
 * (at most one batch waits, so memory stays at a few pages).
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

async function judgeRange(
  spec: PartitionSpec,
  sink: PartitionSink,
  shouldStop: () => boolean,
  rules: ReturnType<typeof ruleCatalog>,
  clients: MilestoneClient[],
): Promise<'done' | 'stopped'> {
  const streams = Object.fromEntries(clients.map((client) => [client.service, upTo(client.inOrderIdOrder(spec.range.after), spec.range.upTo)]));
  let written: Promise<void> = Promise.resolve();
  const views = mergeJoin(streams, { batchSize: spec.batchSize, onUnavailable: (service, error) => sink.unavailable(service, error.message) });
  for await (const batch of views) {
    if (shouldStop()) {
      await written;
      return 'stopped';
    }
    const judged = judgeBatch(rules, batch, new Date());
    await written;
    written = sink.batch(batch[batch.length - 1].orderId, judged);
  }
  await written;
  return 'done';
}
