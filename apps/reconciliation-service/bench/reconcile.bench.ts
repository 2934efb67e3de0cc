// npm run bench:reconcile -- [orders=1000000] [--changed 1000] [--instances 1] [--keep]
//
// Seeds N orders into the five real services' own databases (bulk SQL, bench/seed-orders.ts; most
// orders consistent, every 1000th one not captured), runs the five services against them as
// processes (tools/stack) and the reconciliation service in this process on the real Postgres,
// Redis and Kafka, then times a full scan and an incremental run after `--changed` orders had
// their updated_at bumped by SQL. Prints the figures as JSON; asserts nothing. `--instances 1,2,1,2`
// times a full scan per item with that many reconciliation instances sharing its ranges (the
// others as processes of their own, bench/instances.ts), on the same data, in that order.
//
// The databases are named bench_recon_<service> and dropped at the end; --keep keeps them, and a
// rerun finding them seeded with N orders skips the seeding. To profile, STACK_NODE_ARGS="--cpu-prof
// --cpu-prof-dir=<dir>" reaches the five services (tools/stack), and `node --cpu-prof` this process
// (the reconciliation side, one profile per scan thread). Settings FULL_SCAN_*, RUN_BATCH_SIZE and MILESTONES_* pass through to the
// reconciliation service.
import os from 'node:os';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { databaseUrlFor } from '@commerce/platform';
import { generateApiKeys, startStack } from '@commerce/stack';
import { deleteTestTopics, eventually, testServerUrl, uniqueName } from '@commerce/testing';
import { createTestEnvironment, type ReconciliationUnderTest, startReconciliation } from '../test/support/reconciliation-under-test';
import { ExtraInstances } from './instances';
import { childPids, cpuSeconds, machineCpuSeconds, peakRssMiB, resetPeakRss } from './process-stats';
import { type BenchService, divergentOrders, SEEDS } from './seed-orders';

const SERVICES: BenchService[] = ['order', 'inventory', 'payment', 'shipment', 'notification'];
const databaseOf = (service: BenchService) => `bench_recon_${service}`;
/** Orders per INSERT: small enough to show progress, big enough to stay bulk. */
const SEED_CHUNK = 50_000;

async function withClient<T>(database: string, use: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: database === '' ? testServerUrl() : databaseUrlFor(testServerUrl(), database) });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

/** Orders already in a service's database (0 when its tables do not exist yet). */
async function seededOrders(service: BenchService): Promise<number> {
  return withClient(databaseOf(service), async (client) => {
    const [{ exists }] = (await client.query(`SELECT to_regclass($1) IS NOT NULL AS exists`, [SEEDS[service].perOrderTable])).rows;
    if (!exists) return 0;
    return Number((await client.query(`SELECT count(*) AS n FROM ${SEEDS[service].perOrderTable}`)).rows[0].n);
  });
}

/** Inserts orders 1..orders into every service's database, the five in parallel, with a progress line. */
async function seed(orders: number): Promise<number> {
  const started = Date.now();
  const done = new Map<BenchService, number>(SERVICES.map((s) => [s, 0]));
  const progress = () => {
    const total = [...done.values()].reduce((a, b) => a + b, 0);
    const seconds = (Date.now() - started) / 1000;
    // In place on a terminal, a line per chunk in a log.
    process.stderr.write(
      `${process.stderr.isTTY ? '\r' : ''}seeding ${orders.toLocaleString('en')} orders x 5 services: ${((100 * total) / (orders * SERVICES.length)).toFixed(0).padStart(3)}% ` +
        `(${SERVICES.map((s) => `${s} ${Math.round((100 * (done.get(s) ?? 0)) / orders)}%`).join(', ')}) ${seconds.toFixed(0)} s ${process.stderr.isTTY ? '' : '\n'}`,
    );
  };
  await Promise.all(
    SERVICES.map((service) =>
      withClient(databaseOf(service), async (client) => {
        for (const table of (await client.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public'`)).rows) {
          // A half-seeded database from an interrupted run starts over.
          if (table.tablename !== 'migrations') await client.query(`TRUNCATE "${table.tablename}" CASCADE`);
        }
        for (let first = 1; first <= orders; first += SEED_CHUNK) {
          const last = Math.min(orders, first + SEED_CHUNK - 1);
          // The rows are seeded as the services would have left them: without the triggers that
          // record a change (order-row-triggers.ts would stamp every order as changed now, and
          // double the writes).
          await client.query('BEGIN');
          await client.query('SET LOCAL session_replication_role = replica');
          for (const statement of SEEDS[service].insert) await client.query(statement, [first, last]);
          await client.query('COMMIT');
          done.set(service, last);
          progress();
        }
        await client.query('VACUUM ANALYZE');
      }),
    ),
  );
  process.stderr.write('\n');
  return (Date.now() - started) / 1000;
}

/**
 * Waits until every service's start-up sweep has gone through all its orders, building a current
 * milestone document for each (what the full scan's range mode reads), with a progress line; the
 * seconds it took.
 */
async function documentsBuilt(orders: number, urls: Record<string, string>): Promise<number> {
  const started = Date.now();
  const sweeps = async (service: BenchService) => {
    const metrics = await (await fetch(`${urls[service]}/metrics`)).text();
    return Number(/^milestone_documents_sweeps_total (\d+)/m.exec(metrics)?.[1] ?? 0);
  };
  for (;;) {
    const built = await Promise.all(
      SERVICES.map((service) =>
        withClient(databaseOf(service), async (client) => Number((await client.query(`SELECT count(*) AS n FROM milestone_document WHERE body IS NOT NULL`)).rows[0].n)),
      ),
    );
    const swept = await Promise.all(SERVICES.map(sweeps));
    const seconds = (Date.now() - started) / 1000;
    process.stderr.write(
      `${process.stderr.isTTY ? '\r' : ''}milestone documents: ${SERVICES.map((s, i) => `${s} ${Math.floor((100 * built[i]) / orders)}%${swept[i] > 0 ? ' swept' : ''}`).join(', ')} ${seconds.toFixed(0)} s ${process.stderr.isTTY ? '' : '\n'}`,
    );
    if (swept.every((n) => n > 0)) break;
    await new Promise((resolve) => setTimeout(resolve, 3000));
  }
  process.stderr.write('\n');
  return (Date.now() - started) / 1000;
}

/** Every `count`-th order of 1..orders, spread over the whole keyspace. */
const spread = (orders: number, count: number) => Array.from({ length: Math.min(count, orders) }, (_, k) => 1 + Math.floor((k * orders) / Math.min(count, orders)));

/** Waits until the repairs a full scan scheduled were picked up, so they do not weigh on the next timing. */
async function repairsPickedUp(recon: ReconciliationUnderTest): Promise<void> {
  await eventually(
    async () => {
      const [{ n }] = await recon.dataSource.query(`SELECT count(*)::int AS n FROM repair_case WHERE status = 'OPEN'`);
      if (n > 0) throw new Error(`${n} repairs pending`);
    },
    { timeoutMs: 600_000, intervalMs: 500 },
  );
  await new Promise((resolve) => setTimeout(resolve, 1000));
}

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { changed: { type: 'string', default: '1000' }, instances: { type: 'string', default: '1' }, keep: { type: 'boolean', default: false } },
  });
  const orders = Number(positionals[0] ?? 1_000_000);
  const changed = Number(values.changed);
  const instanceCounts = values.instances.split(',').map(Number);
  if (!Number.isInteger(orders) || orders < 1 || !Number.isInteger(changed) || changed < 0 || !instanceCounts.every((n) => Number.isInteger(n) && n >= 1)) {
    throw new Error('usage: reconcile.bench.ts [orders>=1] [--changed N] [--instances N[,N...]] [--keep]');
  }

  process.env['LOG_LEVEL'] ??= 'warn';
  const loadAverageAtStart = os.loadavg().map((load) => Math.round(load * 100) / 100);
  const topicPrefix = `${uniqueName('bench')}.`;
  const apiKeys = generateApiKeys(); // the same for both starts of the services
  const startServices = () =>
    startStack({
      apiKeys,
      services: SERVICES,
      topicPrefix,
      createTopics: true,
      databases: Object.fromEntries(SERVICES.map((s) => [s, databaseOf(s)])),
      ports: Object.fromEntries(SERVICES.map((s) => [s, 0])),
      logLevel: 'warn',
      silent: true,
      // As npm start: longer on a busy machine.
      healthTimeoutMs: Number(process.env['STACK_HEALTH_TIMEOUT_SECONDS'] ?? '60') * 1000,
    });
  // The first start migrates the databases; the services start again after the seeding, so their
  // start-up sweep builds the milestone documents of the orders seeded behind their backs.
  let stack = await startServices();
  let env: Awaited<ReturnType<typeof createTestEnvironment>> | undefined;
  try {
    const already = await Promise.all(SERVICES.map(seededOrders));
    const seedSeconds = already.every((n) => n === orders) ? null : await seed(orders);
    if (seedSeconds === null) console.error(`the bench databases already hold ${orders} orders: not seeding again`);
    await stack.stop();
    stack = await startServices();
    const documentsSeconds = await documentsBuilt(orders, stack.urls);

    env = await createTestEnvironment({
      ...Object.fromEntries(SERVICES.map((s) => [`${s.toUpperCase()}_SERVICE_URL`, stack.urls[s]])),
      MILESTONES_TIMEOUT_MS: '30000',
      SERVICES_CALLER_KEY: apiKeys.reconciliation,
      LOG_LEVEL: 'warn',
      ...Object.fromEntries(Object.entries(process.env).filter(([key]) => /^(FULL_SCAN_|RUN_BATCH_SIZE|MILESTONES_)/.test(key)) as Array<[string, string]>),
    });
    const recon = await startReconciliation(env);
    const servicePids = childPids();
    const extras = new ExtraInstances(env.env);
    const cpuOf = () => {
      const { busy, steal } = machineCpuSeconds();
      return {
        machine: busy,
        // Counted apart: time the cores were busy for someone else (another VM), not for this run.
        steal,
        // This process (the first instance) and the others.
        reconciliation: cpuSeconds('self') + extras.cpuSeconds(),
        ...Object.fromEntries(SERVICES.map((s) => [s, cpuSeconds(servicePids.get(`${s}-service`) ?? 0)])),
      };
    };
    const timed = async (body: Record<string, unknown>) => {
      resetPeakRss();
      extras.resetPeaks();
      const cpuBefore: Record<string, number> = cpuOf();
      const started = Date.now();
      // Polled every second, not the tests' 100 ms: the run's own timestamps time it, and a full
      // scan's sixty-odd seconds of polling cost this process and the database CPU the scan competes for.
      const run = await recon.run(body, 60 * 60_000, body['kind'] === 'full' ? 1000 : 100);
      const seconds = (Date.now() - started) / 1000;
      const spent = Object.fromEntries(Object.entries(cpuOf()).map(([name, total]) => [name, total - cpuBefore[name]]));
      // What the machine spent besides this process, the five services and steal: Postgres (its
      // backends come and go with the pools, so they are not counted one by one), the kernel's share
      // of the network between them, Kafka and anything else running.
      const named = Object.entries(spent).filter(([name]) => name !== 'machine').reduce((sum, [, seconds]) => sum + seconds, 0);
      const cpu = Object.fromEntries([...Object.entries(spent), ['postgresAndRest', spent['machine'] - named]].map(([name, seconds]) => [name, Math.round(Number(seconds) * 10) / 10]));
      // Where the wall time went: queued until a worker took the run, then the run itself (the rest
      // of `seconds` is the request and this process's polling of the run).
      const at = (iso: string | null) => (iso === null ? Number.NaN : Date.parse(iso));
      const phases = {
        queuedSeconds: (at(run.startedAt) - at(run.queuedAt)) / 1000,
        runningSeconds: (at(run.finishedAt) - at(run.startedAt)) / 1000,
      };
      return { runId: run.id, seconds, ...phases, status: run.status, ordersChecked: run.ordersChecked, casesOpened: run.counts.outcomes['casesOpened'] ?? 0, peakRssMiB: peakRssMiB(), otherInstancesPeakRssMiB: extras.peakRssMiB(), cpuSeconds: cpu };
    };
    try {
      const fullScans = [];
      for (const instances of instanceCounts) {
        await extras.scaleTo(instances - 1);
        const loadAverage = os.loadavg().map((load) => Math.round(load * 100) / 100);
        fullScans.push({ instances, loadAverage, ...(await timed({ kind: 'full' })) });
        await repairsPickedUp(recon);
      }
      await extras.stop();
      const fullScan = fullScans[0];
      // The incremental run reads what changed since the full scan.
      await recon.dataSource.query(`INSERT INTO scan_watermark (service, watermark, run_id) SELECT s, now(), $2 FROM unnest($1::text[]) s`, [
        SERVICES,
        fullScan.runId,
      ]);
      const touched = spread(orders, changed);
      await Promise.all(SERVICES.map((s) => withClient(databaseOf(s), (client) => client.query(SEEDS[s].touch, [touched]))));
      const incremental = await timed({ kind: 'incremental' });
      console.log(
        JSON.stringify(
          {
            cpus: os.cpus().length,
            // Other work on the machine shares the cores: the load before the run says how much.
            loadAverageAtStart,
            orders,
            divergentOrders: divergentOrders(orders),
            seedSeconds,
            documentsSeconds,
            // One instance's ranges at once, a worker thread each (the cores, 2 to 4, unless set).
            scanThreadsPerInstance: process.env['FULL_SCAN_PARTITIONS'] ?? 'default',
            ranges: process.env['FULL_SCAN_RANGES'] ?? 'default',
            fullScan,
            ...(fullScans.length > 1 ? { fullScans } : {}),
            incremental: { ...incremental, changedOrders: touched.length },
          },
          null,
          2,
        ),
      );
    } finally {
      await extras.stop();
      await recon.close();
    }
  } finally {
    await stack.stop();
    await env?.destroy();
    await deleteTestTopics(topicPrefix);
    if (!values.keep) {
      await withClient('', async (client) => {
        for (const service of SERVICES) await client.query(`DROP DATABASE IF EXISTS "${databaseOf(service)}" WITH (FORCE)`);
      });
    }
  }
}

void main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
