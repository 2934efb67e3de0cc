import type { ChildProcess } from 'node:child_process';
import { eventually } from '@commerce/testing';
import { inRange, keyspacePartitions } from '../src/runs/full-scan/partitions';
import { startChild } from './support/child-service';
import { createTestEnvironment, type ReconciliationUnderTest, startReconciliation, type TestEnvironment } from './support/reconciliation-under-test';
import { consistentOrders, oneDivergencePerRule } from './support/scenarios';

jest.setTimeout(180_000);

let env: TestEnvironment;
let child: ChildProcess | null = null;
let survivor: ReconciliationUnderTest | null = null;

afterAll(async () => {
  child?.kill('SIGKILL');
  await survivor?.close();
  await env?.destroy();
});

describe('a full scan whose instance was killed mid-range', () => {
  it('resumes the range from its checkpoint on another instance and opens no duplicate case', async () => {
    // Scan threads whatever the machine (their default depends on its cores): a worker dying with
    // them is the harder case. Four ranges of about 150 orders, two scanned at once.
    env = await createTestEnvironment({ FULL_SCAN_PAGE_SIZE: '20', RUN_BATCH_SIZE: '20', FULL_SCAN_THREADS: 'true', FULL_SCAN_RANGES: '4', FULL_SCAN_PARTITIONS: '2' });
    const divergent = Array.from({ length: 5 }, () => Object.values(oneDivergencePerRule())).flat();
    const consistent = consistentOrders(540);
    for (const view of [...divergent, ...consistent]) env.fakes.put(view);
    // Slow services: the run takes several seconds, long enough to be killed in the middle.
    for (const fake of Object.values(env.fakes.services)) fake.delayMs = 40;

    const started = await startChild(env);
    child = started.process;
    const response = await fetch(`${started.baseUrl}/runs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': env.apiKey },
      body: JSON.stringify({ kind: 'full' }),
    });
    expect(response.status).toBe(202);
    const { runId } = (await response.json()) as { runId: string };

    // Kill the worker once a range is part-way: some of its batches (not all) committed.
    const { Client } = await import('pg');
    const db = new Client({ connectionString: env.db.url });
    await db.connect();
    let killedRange = -1;
    try {
      const progress = await eventually(
        async () => {
          const { rows } = await db.query<{ index: number; orders_checked: string }>(
            `SELECT index, orders_checked FROM run_range WHERE run_id = $1 AND status = 'running' AND orders_checked >= 40 ORDER BY index LIMIT 1`,
            [runId],
          );
          expect(rows).toHaveLength(1);
          killedRange = rows[0].index;
          const run = await db.query<{ orders_checked: string; status: string }>('SELECT orders_checked, status FROM reconciliation_run WHERE id = $1', [runId]);
          return run.rows[0];
        },
        { timeoutMs: 60_000, intervalMs: 20 },
      );
      child.kill('SIGKILL');
      await new Promise((resolve) => child?.once('exit', resolve));
      child = null;
      expect(progress.status).toBe('running');
      expect(Number(progress.orders_checked)).toBeLessThan(600);
    } finally {
      await db.end();
    }

    // A new worker takes the job over once the dead worker's lock expired.
    for (const fake of Object.values(env.fakes.services)) fake.delayMs = 0;
    survivor = await startReconciliation(env);
    const run = await survivor.waitForRun(runId);

    expect(run).toMatchObject({ status: 'completed', ordersChecked: 600, unavailableServices: {} });
    // The killed range was taken again and finished by the survivor; its counts were added once.
    const range = run.ranges?.items.find((r) => r.index === killedRange);
    const inKilledRange = [...divergent, ...consistent].filter((view) => inRange(view.orderId, keyspacePartitions(4)[killedRange])).length;
    expect(range).toMatchObject({ status: 'done', ordersChecked: inKilledRange });
    expect(range?.attempts).toBeGreaterThanOrEqual(2);
    expect(run.counts.outcomes.casesOpened).toBe(divergent.length);
    const duplicates = await survivor.dataSource.query(
      `SELECT order_id, rule_id, count(*)::int AS n FROM repair_case GROUP BY order_id, rule_id HAVING count(*) > 1`,
    );
    expect(duplicates).toEqual([]);
    const cases: Array<{ order_id: string; rule_id: string }> = await survivor.dataSource.query(`SELECT order_id, rule_id FROM repair_case`);
    expect(cases).toHaveLength(divergent.length);
    const expected = divergent.map((view) => view.orderId).sort();
    expect(cases.map((c) => c.order_id).sort()).toEqual(expected);
  });
});
