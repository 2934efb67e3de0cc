// npm run soak -- [--orders 10000] [--rate 10] [--replicas 2] [--seed 42] [--keep]
//
// Starts a stack of its own (every service and the reconciliation service in replicas, on
// databases, topics and queues of its own) on the broker or cluster `infra up` gave (soak.sh: three
// nodes), drives orders in the demo's mix at a steady rate, injects faults on a schedule while they
// flow, waits for them to settle and checks the oracle (oracle.ts). Prints a report; exits 1 on any violation.
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { TOPICS } from '@commerce/contracts';
import { DATABASE_URL, deleteTopics, KAFKA_BROKERS, KAFKA_NODES } from '@commerce/provisioning';
import { generateApiKeys, type RunningStack, SERVICES, startStack } from '@commerce/stack';
import { deleteRedisKeys } from '@commerce/testing';
import { type App, ReplicaClient } from './client';
import { type InjectedFault, killBroker, killReplica, type PlannedFault, reproduce, terminateBackends } from './faults';
import { awaitFinalStates, checkEffects, deadLetters, fullRun } from './oracle';
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

function plan(stack: RunningStack, background: Array<Promise<unknown>>): PlannedFault[] {
  const apps = [...FIVE, 'reconciliation-service'];
  const kills = apps.map((app, i) => {
    const instance = `${app}#${REPLICAS > 1 && i % 2 === 1 ? 2 : 1}`; // `app` alone would be every replica
    return { atShare: 0.08 + i * 0.1, name: `kill ${instance}`, inject: killReplica(stack, instance) };
  });
  return [
    ...kills,
    { atShare: 0.35, name: 'kill kafka node 2', inject: killBroker(2, 30_000, background) },
    { atShare: 0.45, name: 'terminate inventory backends', inject: terminateBackends(databases['inventory-service'] as string) },
    { atShare: 0.75, name: 'terminate inventory backends again', inject: terminateBackends(databases['inventory-service'] as string) },
    { atShare: 0.85, name: 'duplicate order events', inject: reproduce(prefix + TOPICS.orderEvents, 200) },
  ].sort((a, b) => a.atShare - b.atShare);
}

async function main(): Promise<number> {
  log(`run ${runId}: ${ORDERS} orders at ${RATE}/s, ${REPLICAS} replica(s) of each service, Kafka ${KAFKA_BROKERS} (${KAFKA_NODES} node(s))`);
  const apiKey = randomBytes(24).toString('base64url');
  const apiKeys = generateApiKeys(); // the same keys in both stacks: the reconciliation service calls the five
  const common = { apiKeys, topicPrefix: prefix, databases, replicas: REPLICAS, logDir: `test-artifacts/soak/${runId}`, healthTimeoutMs: 300_000, report: (m: string) => log(m) };
  const services = await startStack({ ...common, services: FIVE, createTopics: true, ports: Object.fromEntries(FIVE.map((s) => [s, 0])) });
  const urlOf = (app: string) => services.urls[app] as string;
  const reconciliation = await startStack({
    ...common,
    services: ['reconciliation-service'],
    ports: { 'reconciliation-service': 0 },
    serviceEnv: {
      'reconciliation-service': {
        RECONCILIATION_API_KEY: apiKey,
        RECONCILIATION_QUEUE_PREFIX: `soak-${runId}`,
        ...Object.fromEntries(FIVE.map((app) => [`${app.replace(/-service$/, '').toUpperCase()}_SERVICE_URL`, urlOf(app)])),
      },
    },
  });
  const stopAll = () => Promise.all([services.stop(), reconciliation.stop()]);
  try {
    return await soak(services, reconciliation, apiKey);
  } finally {
    await stopAll();
    if (!values.keep) {
      await dropDatabases();
      await deleteTopics({ prefix });
      await deleteRedisKeys(`soak-${runId}`);
    }
  }
}

async function soak(services: RunningStack, reconciliation: RunningStack, apiKey: string): Promise<number> {
  const stack: RunningStack = { ...services, kill: (name, signal) => (name.startsWith('reconciliation') ? reconciliation : services).kill(name, signal), status: () => [...services.status(), ...reconciliation.status()] };
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

  const background: Array<Promise<unknown>> = [];
  const faults = plan(stack, background);
  const injected: InjectedFault[] = [];
  const random = seeded(Number(values.seed));
  const played: PlayedOrder[] = [];
  const errors: string[] = [];
  const inFlight = new Set<Promise<void>>();
  const startedAt = Date.now();
  for (let i = 0; i < ORDERS; i++) {
    for (let fault = faults[0]; fault && i >= fault.atShare * ORDERS; fault = faults[0]) {
      faults.shift();
      const second = Math.round((Date.now() - startedAt) / 1000);
      const detail = await fault.inject().catch((error: Error) => `FAILED: ${error.message}`);
      injected.push({ at: new Date().toISOString(), second, fault: fault.name, detail });
      log(`t+${second}s fault: ${fault.name}: ${detail}`);
    }
    const play = playOrder(client, pickScenario(random), random, stock, (order) => played.push(order))
      .catch((error: Error) => void errors.push(error.message))
      .finally(() => inFlight.delete(play));
    inFlight.add(play);
    if (i % 500 === 499) log(`${i + 1} orders placed in ${Math.round((Date.now() - startedAt) / 1000)} s (${inFlight.size} in flight)`);
    await sleep(1000 / RATE);
  }
  await Promise.all(inFlight);
  await Promise.all(background);
  const trafficSeconds = (Date.now() - startedAt) / 1000;
  log(`traffic done in ${trafficSeconds.toFixed(0)} s; waiting for every order to settle...`);

  const drainStart = Date.now();
  const stuck = await awaitFinalStates(client, played, Number(values['drain-timeout']) * 1000);
  const drainSeconds = (Date.now() - drainStart) / 1000;
  const violations = [...errors.map((e) => `request failed: ${e}`), ...(await checkEffects(client, played, stock, stuck))];
  const dead = await deadLetters(prefix + TOPICS.deadLetter);
  if (dead > 0) violations.push(`${dead} dead letter(s), none planned`);
  const run = await fullRun(client);
  const opened = run.counts.outcomes['casesOpened'] ?? 0;
  if (run.status !== 'completed') violations.push(`the full reconciliation run ended ${run.status}`);
  if (opened > 0) violations.push(`the full reconciliation run opened ${opened} case(s)`);

  const restarts = stack.status().filter((i) => i.restarts > 0).map((i) => `${i.name} ×${i.restarts}`);
  const scenarios = played.reduce<Record<string, number>>((acc, o) => ({ ...acc, [o.scenario]: (acc[o.scenario] ?? 0) + 1 }), {});
  console.log(['', `[soak] report of run ${runId} (${new Date().toISOString()})`,
    `  orders       ${played.length} placed of ${ORDERS} (${Object.entries(scenarios).map(([k, v]) => `${k} ${v}`).join(', ')}), traffic ${trafficSeconds.toFixed(0)} s, settled ${drainSeconds.toFixed(0)} s after`,
    `  stack        ${REPLICAS} replica(s) per app; Kafka ${KAFKA_NODES} node(s); restarts: ${restarts.join(', ') || 'none'}`,
    '  faults', ...injected.map((f) => `    t+${String(f.second).padStart(4)}s  ${f.fault.padEnd(36)} ${f.detail}`),
    `  reconciliation full run: ${run.status}, ${run.ordersChecked} orders checked, ${opened} case(s) opened`,
    `  dead letters ${dead}`,
    `  violations   ${violations.length}`, ...violations.slice(0, 50).map((v) => `    - ${v}`), ''].join('\n'));
  return violations.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`[soak] ${error instanceof Error ? error.stack : String(error)}`);
    process.exit(2);
  },
);
