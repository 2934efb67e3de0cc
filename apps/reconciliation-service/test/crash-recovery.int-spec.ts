import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { eventually, freePort, repoRoot } from '@commerce/testing';
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

/** The service as its own process (the real main.ts), so it can be killed for real. */
async function startChild(environment: TestEnvironment): Promise<{ process: ChildProcess; baseUrl: string }> {
  const port = await freePort();
  const processHandle = spawn(process.execPath, ['-r', '@swc-node/register', path.join(__dirname, '../src/main.ts')], {
    cwd: repoRoot,
    env: { ...process.env, ...environment.env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  await eventually(async () => expect((await fetch(`${baseUrl}/health/live`)).status).toBe(200), { timeoutMs: 60_000, intervalMs: 250 });
  return { process: processHandle, baseUrl };
}

describe('a run retried after its worker was killed mid-run', () => {
  it('resumes from its checkpoint on another worker and opens no duplicate case', async () => {
    // Scan threads whatever the machine (their default depends on its cores): a worker dying with them is the harder case.
    env = await createTestEnvironment({ FULL_SCAN_PAGE_SIZE: '20', RUN_BATCH_SIZE: '20', FULL_SCAN_THREADS: 'true' });
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

    // Kill the worker once some batches (not all) are committed.
    const { Client } = await import('pg');
    const db = new Client({ connectionString: env.db.url });
    await db.connect();
    try {
      const progress = await eventually(
        async () => {
          const { rows } = await db.query<{ orders_checked: string; status: string }>('SELECT orders_checked, status FROM reconciliation_run WHERE id = $1', [runId]);
          expect(Number(rows[0]?.orders_checked)).toBeGreaterThanOrEqual(100);
          return rows[0];
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
    expect(run.attempts).toBeGreaterThanOrEqual(2);
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
