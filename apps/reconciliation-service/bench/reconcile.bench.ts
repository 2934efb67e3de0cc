// Times the reconciliation service's side of a full scan and an incremental run over N orders
// served by a fixture process (bench/milestones-fixture-server.ts), with the real Postgres, Redis
// and Kafka; reports durations and the service's peak RSS. Not a test.
//   node -r @swc-node/register apps/reconciliation-service/bench/reconcile.bench.ts [orders=1000000] [changed=1000]
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { eventually } from '@commerce/testing';
import { createTestEnvironment, startReconciliation } from '../test/support/reconciliation-under-test';

async function main() {
  const orders = Number(process.argv[2] ?? 1_000_000);
  const changedCount = Number(process.argv[3] ?? 1000);
  const fixture = spawn(process.execPath, ['-r', '@swc-node/register', path.join(__dirname, 'milestones-fixture-server.ts'), String(orders)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const ports = await new Promise<Record<string, number>>((resolve) =>
    createInterface({ input: fixture.stdout }).once('line', (line) => resolve(JSON.parse(line) as Record<string, number>)),
  );
  const url = (service: string) => `http://127.0.0.1:${ports[service]}`;
  const env = await createTestEnvironment({
    ORDER_SERVICE_URL: url('order'),
    INVENTORY_SERVICE_URL: url('inventory'),
    PAYMENT_SERVICE_URL: url('payment'),
    SHIPMENT_SERVICE_URL: url('shipment'),
    NOTIFICATION_SERVICE_URL: url('notification'),
    MILESTONES_TIMEOUT_MS: '30000',
    LOG_LEVEL: 'warn',
    // Any setting can be varied from the environment, e.g. FULL_SCAN_PARTITIONS=8 FULL_SCAN_THREADS=false.
    ...Object.fromEntries(Object.entries(process.env).filter(([key]) => /^(FULL_SCAN_|RUN_BATCH_SIZE|MILESTONES_)/.test(key)) as Array<[string, string]>),
  });
  const recon = await startReconciliation(env);
  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  const timed = async (body: Record<string, unknown>) => {
    const started = Date.now();
    const run = await recon.run(body, 30 * 60_000);
    return { ms: Date.now() - started, run };
  };
  try {
    const full = await timed({ kind: 'full' });
    const afterFull = peakRss;
    await recon.dataSource.query(
      `INSERT INTO scan_watermark (service, watermark, run_id) SELECT s, now(), $1 FROM unnest($2::text[]) s`,
      [full.run.id, ['order', 'inventory', 'payment', 'shipment', 'notification']],
    );
    // Let the repairs the full scan scheduled settle, so they do not weigh on the incremental timing.
    await eventually(
      async () => {
        const [{ n }] = await recon.dataSource.query(`SELECT count(*)::int AS n FROM repair_case WHERE status = 'OPEN'`);
        if (n > 0) throw new Error(`${n} repairs pending`);
      },
      { timeoutMs: 300_000, intervalMs: 500 },
    );
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await Promise.all(Object.keys(ports).map((service) => fetch(`${url(service)}/changed?count=${changedCount}`, { method: 'POST' })));
    const incremental = await timed({ kind: 'incremental' });
    console.log(
      JSON.stringify(
        {
          orders,
          fullScan: { seconds: full.ms / 1000, status: full.run.status, ordersChecked: full.run.ordersChecked, casesOpened: full.run.counts.outcomes['casesOpened'] },
          incremental: { seconds: incremental.ms / 1000, status: incremental.run.status, ordersChecked: incremental.run.ordersChecked, changed: changedCount },
          peakRssMiB: { duringFullScan: Math.round(afterFull / 2 ** 20), overall: Math.round(peakRss / 2 ** 20) },
        },
        null,
        2,
      ),
    );
  } finally {
    clearInterval(sampler);
    await recon.close();
    await env.destroy();
    fixture.kill();
  }
}

void main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
