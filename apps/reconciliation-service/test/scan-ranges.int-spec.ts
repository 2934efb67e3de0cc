import type { ChildProcess } from 'node:child_process';
import { eventually } from '@commerce/testing';
import { WorkerLifecycle } from '../src/jobs/job-processor';
import { RULES } from '../src/rules/catalog';
import type { OrderView } from '../src/rules/order-view';
import { inRange, keyspacePartitions } from '../src/runs/full-scan/partitions';
import { RangeStore } from '../src/runs/ranges/range-store';
import { RunStore } from '../src/runs/run-store';
import { RunTally } from '../src/runs/run-tally';
import type { RunDetail } from './support/api';
import { kill, startChild } from './support/child-service';
import { createTestEnvironment, type ReconciliationUnderTest, startReconciliation, type TestEnvironment } from './support/reconciliation-under-test';
import { consistentOrders, oneDivergencePerRule } from './support/scenarios';

jest.setTimeout(300_000);

// Eight ranges of ~60 orders, one range at a time per instance, in the main thread (the threads'
// own test is crash-recovery.int-spec.ts); pages and batches of 20, so a range is several batches.
const SPLIT = { FULL_SCAN_RANGES: '8', FULL_SCAN_PARTITIONS: '1', FULL_SCAN_THREADS: 'false', FULL_SCAN_PAGE_SIZE: '20', RUN_BATCH_SIZE: '20' };
const divergent = Array.from({ length: 3 }, () => Object.values(oneDivergencePerRule())).flat();
const orders: OrderView[] = [...divergent, ...consistentOrders(440)];

const environments: TestEnvironment[] = [];
const apps: ReconciliationUnderTest[] = [];
let child: ChildProcess | null = null;
afterAll(async () => {
  if (child) await kill(child);
  for (const app of apps) await app.close();
  for (const environment of environments) await environment.destroy();
});

/** An environment of its own whose fake services hold the same orders, a little slow. */
async function environment(delayMs: number): Promise<TestEnvironment> {
  const created = await createTestEnvironment(SPLIT);
  environments.push(created);
  for (const view of orders) created.fakes.put(view);
  for (const fake of Object.values(created.fakes.services)) fake.delayMs = delayMs;
  return created;
}
async function instance(environment: TestEnvironment): Promise<ReconciliationUnderTest> {
  const app = await startReconciliation(environment);
  apps.push(app);
  return app;
}
const duplicateCases = (app: ReconciliationUnderTest) =>
  app.dataSource.query(`SELECT order_id, rule_id FROM repair_case GROUP BY order_id, rule_id HAVING count(*) > 1`) as Promise<unknown[]>;

describe('a full scan split across two instances', () => {
  let single: RunDetail;

  it('is taken range by range by both, counts what one instance counts, and is closed by one range', async () => {
    const alone = await instance(await environment(20));
    single = await alone.run({ kind: 'full' });
    expect(single).toMatchObject({ status: 'completed', ordersChecked: orders.length, ranges: { total: 8, done: 8 } });
    expect(single.counts.outcomes.casesOpened).toBe(divergent.length);

    const shared = await environment(20);
    const [a, b] = [await instance(shared), await instance(shared)];
    const run = await a.run({ kind: 'full' });

    expect(run).toMatchObject({ status: 'completed', ordersChecked: single.ordersChecked, ranges: { total: 8, done: 8, ordersChecked: orders.length } });
    expect(run.counts).toEqual(single.counts);
    const takers = new Set(run.ranges?.items.map((range) => range.takenBy));
    expect(takers).toEqual(new Set([a.app.get(WorkerLifecycle).instance, b.app.get(WorkerLifecycle).instance]));
    expect(run.ranges?.items.filter((range) => range.closedRun)).toHaveLength(1);
    expect(await duplicateCases(a)).toEqual([]);
    const [{ n }] = await a.dataSource.query(`SELECT count(*)::int AS n FROM repair_case`);
    expect(n).toBe(divergent.length);
  });

  it('adds each range once and closes the run once when every range finishes at the same moment, or again', async () => {
    const app = apps[1];
    const runs = app.app.get(RunStore);
    const ranges = app.app.get(RangeStore);
    const run = await runs.create({ kind: 'full', trigger: 'test' });
    await runs.start(run.id);
    const indexes = await ranges.split(run.id, keyspacePartitions(16));
    const tallyOf = (index: number) => {
      const tally = new RunTally(RULES);
      tally.ordersChecked = index + 1;
      tally.count('amount-mismatch', 'violated');
      tally.did('casesOpened');
      return tally;
    };
    // Sixteen transactions at once on the pool: each reads the run's counts and writes them back.
    const first = await Promise.all(indexes.map((index) => ranges.finish(run.id, index, tallyOf(index))));
    const retried = await Promise.all(indexes.map((index) => ranges.finish(run.id, index, tallyOf(index))));

    expect(first.filter((result) => result.closed)).toEqual([{ added: true, closed: 'completed' }]);
    expect(retried.every((result) => !result.added && result.closed === null)).toBe(true);
    const closed = await runs.get(run.id);
    expect(closed).toMatchObject({ status: 'completed', rangesTotal: 16, rangesDone: 16, ordersChecked: (16 * 17) / 2 });
    expect(closed.ruleCounts['amount-mismatch'].violated).toBe(16);
    expect(closed.outcomeCounts['casesOpened']).toBe(16);
  });

  it('finishes with the same counts when an instance is killed mid-range: its range is taken again and counted once', async () => {
    const shared = await environment(40);
    const started = await startChild(shared);
    child = started.process;
    const survivor = await instance(shared);
    const response = await fetch(`${started.baseUrl}/runs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': shared.apiKey },
      body: JSON.stringify({ kind: 'full' }),
    });
    const { runId } = (await response.json()) as { runId: string };

    // The child's range part-way (a batch committed, another one at least to come): kill it there.
    const pid = child.pid;
    const sizes = keyspacePartitions(8).map((range) => orders.filter((view) => inRange(view.orderId, range)).length);
    const killed = await eventually(
      async () => {
        const rows: Array<{ index: number; orders_checked: string }> = await survivor.dataSource.query(
          `SELECT index, orders_checked FROM run_range WHERE run_id = $1 AND status = 'running' AND orders_checked > 0 AND taken_by LIKE $2`,
          [runId, `%:${pid}:%`],
        );
        const partWay = rows.filter((row) => Number(row.orders_checked) <= sizes[row.index] - 20);
        expect(partWay.length).toBeGreaterThan(0);
        return partWay[0].index;
      },
      { timeoutMs: 60_000, intervalMs: 20 },
    );
    await kill(child);
    child = null;

    const run = await survivor.waitForRun(runId, 120_000);
    expect(run).toMatchObject({ status: 'completed', ordersChecked: single.ordersChecked });
    expect(run.counts).toEqual(single.counts);
    const range = run.ranges?.items.find((item) => item.index === killed);
    expect(range?.attempts).toBeGreaterThanOrEqual(2);
    expect(range?.takenBy).toBe(survivor.app.get(WorkerLifecycle).instance);
    expect(await duplicateCases(survivor)).toEqual([]);
  });
});
