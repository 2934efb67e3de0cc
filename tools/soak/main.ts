// npm run soak -- [--orders 10000] [--rate 10] [--replicas 2] [--seed 42] [--keep]
//
// Starts a stack of its own (every service and the reconciliation service in replicas, on
// databases, topics and queues of its own, the reconciliation queues on a redis-server of its own)
// on the broker or cluster `infra up` gave (soak.sh: three nodes), drives orders in the demo's mix at
// a steady rate, injects faults on a schedule while they flow (faults.ts), measures how long each
// took to drain (drain.ts), waits for the orders to settle and checks the oracle (oracle.ts).
// Prints a report; exits 1 on any violation, 3 when stopped early by SIGINT/SIGTERM (with a report so far).
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { TOPICS } from '@commerce/contracts';
import { DATABASE_URL, deleteTopics, KAFKA_BROKERS, KAFKA_NODES, type PrivateRedis, startPrivateRedis } from '@commerce/provisioning';
import { generateApiKeys, type RunningStack, SERVICES, startStack } from '@commerce/stack';
import { freePort } from '@commerce/testing';
import { type App, ReplicaClient } from './client';
import { LagWatch } from './drain';
import { type InjectedFault, killBroker, killReplica, type PlannedFault, type Redelivered, reproduce, restartRedis, rewindGroup, terminateBackends } from './faults';
import { awaitFinalStates, checkCases, checkEffects, deadLetters, duplicatesAbsorbed, fullRun } from './oracle';
import { formatReport, type SoakReport } from './report';
import { catalog, pickScenario, type PlayedOrder, playOrder, seeded } from './traffic';

const { values } = parseArgs({
  options: {
    orders: { type: 'string', default: '10000' },
    rate: { type: 'string', default: '10' },
    replicas: { type: 'string', default: '2' },
    seed: { type: 'string', default: '42' },
    'drain-timeout': { type: 'string', default: '600' },
    keep: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log('usage: npm run soak -- [--orders 10000] [--rate 10] [--replicas 2] [--brokers 3] [--seed 42] [--drain-timeout 600] [--keep]');
  process.exit(0);
}
const ORDERS = Number(values.orders);
const RATE = Number(values.rate);
const REPLICAS = Number(values.replicas);
for (const [flag, n] of [['--orders', ORDERS], ['--rate', RATE], ['--replicas', REPLICAS]] as const) {
  if (!(n > 0)) throw new Error(`${flag} must be a positive number`);
}

const runId = randomBytes(3).toString('hex');
const prefix = `soak-${runId}.`;
const FIVE = Object.keys(SERVICES);
const databases = Object.fromEntries([...FIVE, 'reconciliation-service'].map((app) => [app, `soak_${runId}_${app.replace(/-/g, '_')}`]));
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const log = (line: string) => console.log(`[soak] ${line}`);

async function dropDatabases(): Promise<void> {
  const admin = new Client({ connectionString: DATABASE_URL });
  await admin.connect();
  try {
    for (const name of Object.values(databases)) await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

/**
 * Every fault once, at a share of the orders placed. The rewind comes last: it stops inventory's
 * replicas for a while, and a fault on inventory's database meanwhile would find no connection.
 */
function plan(stack: RunningStack, redis: PrivateRedis, client: ReplicaClient, background: Array<Promise<unknown>>, redelivered: Redelivered): PlannedFault[] {
  const apps = [...FIVE, 'reconciliation-service'];
  const kills = apps.map((app, i) => {
    const instance = `${app}#${REPLICAS > 1 && i % 2 === 1 ? 2 : 1}`; // `app` alone would be every replica
    return { atShare: 0.08 + i * 0.1, name: `kill ${instance}`, inject: killReplica(stack, instance) };
  });
  const incrementalRun = async () => `an incremental reconciliation run ${(await fullRun(client, 600_000, 'incremental')).status}`;
  return [
    ...kills,
    { atShare: 0.35, name: 'kill kafka node 2', ...killBroker(2, 30_000, background) },
    { atShare: 0.45, name: 'terminate inventory backends', inject: terminateBackends(databases['inventory-service'] as string) },
    { atShare: 0.53, name: 'restart redis', inject: restartRedis(redis, 5000, incrementalRun) },
    { atShare: 0.85, name: 'rewind inventory group on order events', inject: rewindGroup(stack, 'inventory-service', `${prefix}inventory-service`, prefix + TOPICS.orderEvents, 300, redelivered) },
    { atShare: 0.66, name: 'terminate inventory backends again', inject: terminateBackends(databases['inventory-service'] as string) },
    { atShare: 0.75, name: 'duplicate order events', inject: reproduce(prefix + TOPICS.orderEvents, 200, redelivered) },
  ].sort((a, b) => a.atShare - b.atShare);
}

/** Set by SIGINT/SIGTERM: stop placing orders, report what was seen, clean up. */
let stopSignal: string | null = null;
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void (stopSignal ??= signal));
// A failure nothing awaited must not end the process with the stack's twelve processes left behind.
process.on('unhandledRejection', (error) => {
  log(`unexpected: ${error instanceof Error ? error.stack : String(error)}`);
  stopSignal ??= 'an unexpected error';
});

async function main(): Promise<number> {
  log(`run ${runId}: ${ORDERS} orders at ${RATE}/s, ${REPLICAS} replica(s) of each service, Kafka ${KAFKA_BROKERS} (${KAFKA_NODES} node(s))`);
  const redis = await startPrivateRedis(await freePort());
  log(`the reconciliation queues on a redis-server of the soak's own: ${redis.url} (pid ${redis.pid()})`);
  const apiKey = randomBytes(24).toString('base64url');
  const apiKeys = generateApiKeys(); // the same keys in both stacks: the reconciliation service calls the five
  const common = { apiKeys, topicPrefix: prefix, databases, replicas: REPLICAS, logDir: `test-artifacts/soak/${runId}`, healthTimeoutMs: 600_000, report: (m: string) => log(m) };
  const stacks: RunningStack[] = [];
  try {
    const services = await startStack({ ...common, services: FIVE, createTopics: true, ports: Object.fromEntries(FIVE.map((s) => [s, 0])) });
    stacks.push(services);
    const urlOf = (app: string) => services.urls[app] as string;
    const reconciliation = await startStack({
      ...common,
      services: ['reconciliation-service'],
      ports: { 'reconciliation-service': 0 },
      serviceEnv: {
        'reconciliation-service': {
          RECONCILIATION_API_KEY: apiKey,
          RECONCILIATION_QUEUE_PREFIX: `soak-${runId}`,
          REDIS_URL: redis.url,
          ...Object.fromEntries(FIVE.map((app) => [`${app.replace(/-service$/, '').toUpperCase()}_SERVICE_URL`, urlOf(app)])),
        },
      },
    });
    stacks.push(reconciliation);
    return await soak(services, reconciliation, redis, apiKey);
  } finally {
    await Promise.all(stacks.map((stack) => stack.stop()));
    await redis.stop();
    if (!values.keep) {
      await dropDatabases();
      await deleteTopics({ prefix });
    }
  }
}

async function soak(services: RunningStack, reconciliation: RunningStack, redis: PrivateRedis, apiKey: string): Promise<number> {
  const stack: RunningStack = {
    ...services,
    kill: (name, signal) => (name.startsWith('reconciliation') ? reconciliation : services).kill(name, signal),
    restart: (name, whileStopped) => (name.startsWith('reconciliation') ? reconciliation : services).restart(name, whileStopped),
    status: () => [...services.status(), ...reconciliation.status()],
  };
  const urls = Object.fromEntries(
    [...FIVE, 'reconciliation-service'].map((app) => [app.replace(/-service$/, ''), (app === 'reconciliation-service' ? reconciliation : services).replicaUrls[app] as string[]]),
  ) as Record<App, string[]>;
  const operator = { 'x-api-key': services.apiKeys.operator };
  const client = new ReplicaClient(urls, { order: operator, inventory: operator, payment: operator, shipment: operator, notification: operator, reconciliation: { 'x-api-key': apiKey } });
  log(`stack up: ${stack.status().length} instances; logs in test-artifacts/soak/${runId}/`);

  const stock = catalog(runId);
  for (const item of [...stock.items, stock.scarce]) {
    for (const [node, onHand] of Object.entries(item.nodes)) await client.call('inventory', 'PUT', `/stock/${item.sku}/${node}`, { onHand });
  }

  const lag = new LagWatch([...FIVE, 'reconciliation-service'].map((app) => prefix + app), Object.values(TOPICS).map((topic) => prefix + topic));
  await lag.start();
  const background: Array<Promise<unknown>> = [];
  const redelivered: Redelivered = { count: 0 };
  const faults = plan(stack, redis, client, background, redelivered);
  const injected: InjectedFault[] = [];
  const random = seeded(Number(values.seed));
  const played: PlayedOrder[] = [];
  const errors: string[] = [];
  const inFlight = new Set<Promise<void>>();
  const startedAt = Date.now();
  const drainTimeoutMs = Number(values['drain-timeout']) * 1000;
  // A fault runs beside the traffic (a rewind or a Redis restart takes a while); its drain is timed from its end.
  const inject = async (fault: PlannedFault): Promise<void> => {
    const entry: InjectedFault = { at: new Date().toISOString(), second: Math.round((Date.now() - startedAt) / 1000), fault: fault.name, detail: '…' };
    injected.push(entry);
    const baseline = lag.current();
    const injectedAt = Date.now();
    try {
      entry.detail = await fault.inject();
      log(`t+${entry.second}s fault: ${fault.name}: ${entry.detail}`);
      await fault.over?.();
    } catch (error) {
      entry.detail = `FAILED: ${(error as Error).message}`;
      log(`t+${entry.second}s fault: ${fault.name}: ${entry.detail}`);
    }
    const drained = await lag.drainAfter(injectedAt, Date.now(), baseline, drainTimeoutMs);
    entry.drainSeconds = drained.seconds;
    entry.peakLag = drained.peakLag;
    log(`fault "${fault.name}" (t+${entry.second}s): ${drained.seconds === null ? 'lag not back' : `drained in ${drained.seconds.toFixed(0)} s`}, peak lag ${drained.peakLag}`);
  };
  const faultsDone: Array<Promise<void>> = [];
  for (let i = 0; i < ORDERS && !stopSignal; i++) {
    for (let fault = faults[0]; fault && i >= fault.atShare * ORDERS; fault = faults[0]) faultsDone.push(inject(faults.shift() as PlannedFault));
    const play = playOrder(client, pickScenario(random), random, stock, (order) => played.push(order))
      .catch((error: Error) => void errors.push(error.message))
      .finally(() => inFlight.delete(play));
    inFlight.add(play);
    if (i % 500 === 499) log(`${i + 1} orders placed in ${Math.round((Date.now() - startedAt) / 1000)} s (${inFlight.size} in flight, consumer lag ${lag.current()})`);
    await sleep(1000 / RATE);
  }
  const trafficSeconds = (Date.now() - startedAt) / 1000;
  const report: SoakReport = {
    runId, ordersAsked: ORDERS, played, trafficSeconds, settledSeconds: null, faults: injected, duplicatesDelivered: 0, duplicatesAbsorbed: null,
    stack: `${REPLICAS} replica(s) per app; Kafka ${KAFKA_NODES} node(s); machine load ${loadAverage()}`, reconciliation: 'not run', deadLetters: null, violations: [],
  };
  if (stopSignal) {
    await lag.stop();
    console.log(formatReport({ ...report, duplicatesDelivered: redelivered.count, cutShort: `${stopSignal} after ${played.length} orders; not drained, no oracle` }));
    return 3;
  }
  await Promise.all(inFlight);
  await Promise.allSettled(background); // a failure is in its fault's detail (over() awaits the same promise)
  await Promise.all(faultsDone);
  await lag.stop();
  log(`traffic done in ${trafficSeconds.toFixed(0)} s; waiting for every order to settle...`);

  const drainStart = Date.now();
  const stuck = await awaitFinalStates(client, played, drainTimeoutMs);
  report.settledSeconds = (Date.now() - drainStart) / 1000;
  const violations = [...errors.map((e) => `request failed: ${e}`), ...(await checkEffects(client, played, stock, stuck))];
  const dead = await deadLetters(prefix + TOPICS.deadLetter);
  if (dead > 0) violations.push(`${dead} dead letter(s), none planned`);
  const run = await fullRun(client);
  if (run.status !== 'completed') violations.push(`the full reconciliation run ended ${run.status}`);
  const cases = await checkCases(client, played);
  violations.push(...cases.violations);

  const restarts = stack.status().filter((i) => i.restarts > 0).map((i) => `${i.name} ×${i.restarts}`);
  const allUrls = Object.values(urls).flat();
  console.log(formatReport({
    ...report,
    stack: `${report.stack}; restarts: ${restarts.join(', ') || 'none'}`,
    duplicatesDelivered: redelivered.count,
    duplicatesAbsorbed: await duplicatesAbsorbed(allUrls),
    reconciliation: `full run ${run.status}, ${run.ordersChecked} orders checked, ${run.counts.outcomes['casesOpened'] ?? 0} case(s) opened; ${cases.open} open, ${cases.planned} planned (cancelled after dispatch)`,
    deadLetters: dead,
    violations,
  }));
  return violations.length > 0 ? 1 : 0;
}

function loadAverage(): string {
  return os.loadavg().map((l) => l.toFixed(1)).join(' ');
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`[soak] ${error instanceof Error ? error.stack : String(error)}`);
    process.exit(2);
  },
);
