/**
 * npm run bench:throughput — the whole order lifecycle (placed -> CONFIRMED -> DELIVERED) under
 * open-loop load in steps of rising rate, on a stack of its own with the demo warehouse on. Per
 * step: the rate achieved, latency percentiles, consumer lag, CPU-ms per order of every process.
 * Stops at the first step the stack cannot sustain, measures pgbench beside it, and finally checks
 * that nothing was lost or doubled (non-zero exit when something was). docs/operations.md explains
 * the figures; `-- --help` lists the flags.
 */
import os from 'node:os';
import { Client } from 'pg';
import { ConsumerLag } from './throughput/consumer-lag';
import { checkNothingLostOrDoubled } from './throughput/checks';
import { maxSustainableRate } from './throughput/figures';
import { startOwnStack } from './throughput/own-stack';
import { measurePgbench, type PgbenchResult } from './throughput/pgbench';
import { pidListeningOn } from './throughput/proc-cpu';
import { printTables, writeArtifacts } from './throughput/report';
import { runStep, type StepContext } from './throughput/run-step';
import { parseSettings, USAGE } from './throughput/settings';
import type { StepResult } from './throughput/step-result';
import { stockCatalogue } from './throughput/traffic';
import { waitForDelivery } from './throughput/observe';

const BROKERS = (process.env['KAFKA_BROKERS'] || '127.0.0.1:9092').split(',').map((b) => b.trim()).filter(Boolean);
const SERVER_URL = process.env['DATABASE_URL'] || 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env['REDIS_URL'] || 'redis://127.0.0.1:6379';

const log = (message: string) => console.log(`[throughput] ${message}`);
const portOf = (hostPort: string, fallback: number) => Number(new URL(`tcp://${hostPort}`).port) || fallback;

function databaseUrl(name: string): string {
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function main(): Promise<number> {
  const settings = parseSettings(process.argv.slice(2));
  if (!settings) {
    console.log(USAGE);
    return 0;
  }
  const startedAt = new Date().toISOString();

  // pgbench first, alone on the machine's share we get: the yardstick beside the stack's rate.
  let pgbench: PgbenchResult = { skipped: '--pgbench-seconds 0' };
  if (settings.pgbenchSeconds > 0) {
    log(`pgbench tpcb-like, 4 clients, ${settings.pgbenchSeconds} s, on a scratch database ...`);
    pgbench = await measurePgbench(SERVER_URL, settings.pgbenchSeconds);
    log('skipped' in pgbench ? `pgbench skipped: ${pgbench.skipped}` : `pgbench: ${pgbench.tps.toFixed(0)} tps`);
  }

  const warehouse = {
    dispatchAfterSeconds: settings.dispatchAfterSeconds,
    deliverAfterSeconds: settings.deliverAfterSeconds,
    sweepIntervalMs: settings.sweepIntervalMs,
  };
  const stack = await startOwnStack({ serverUrl: SERVER_URL, warehouse, keep: settings.keep, log });
  const orderDb = new Client({ connectionString: databaseUrl(stack.databases['order-service']) });
  const lag = new ConsumerLag(BROKERS, stack.topicPrefix);
  const steps: StepResult[] = [];
  let violations: string[];
  try {
    await orderDb.connect();
    await lag.connect();
    const processes = {
      services: stack.pids,
      kafka: pidListeningOn(portOf(BROKERS[0], 9092)),
      redis: pidListeningOn(Number(new URL(REDIS_URL).port) || 6379),
      databases: Object.values(stack.databases),
    };
    log(`sampling CPU of pids: ${JSON.stringify({ ...processes.services, kafka: processes.kafka ?? 'not found', redis: processes.redis ?? 'not found' })}`);

    const totalOrders = settings.warmupOrders + settings.steps.reduce((sum, rate) => sum + Math.round(rate * settings.stepSeconds), 0);
    const stockedUnits = Math.ceil(totalOrders / settings.skus) + 10;
    const skus = await stockCatalogue(stack.inventoryUrl, settings.skus, stockedUnits);
    const ctx: StepContext = {
      orderUrl: stack.orderUrl,
      orderDb,
      lag,
      processes,
      skus,
      warehouseWaitMs: (settings.dispatchAfterSeconds + settings.deliverAfterSeconds) * 1000,
      lagEveryMs: settings.lagEverySeconds * 1000,
      drainTimeoutMs: settings.drainSeconds * 1000,
    };
    const orderIds: string[] = [];
    if (settings.warmupOrders > 0) {
      // Never faster than the first step: the warm-up must not leave it a backlog.
      const warmupRate = Math.min(5, settings.steps[0]);
      log(`warm-up: ${settings.warmupOrders} orders at ${warmupRate}/s ...`);
      const warmup = await runStep(ctx, warmupRate, settings.warmupOrders / warmupRate);
      orderIds.push(...warmup.orderIds);
      if (warmup.result.unsustained.length > 0) log(`warm-up not clean: ${warmup.result.unsustained.join('; ')}`);
    }
    for (const rate of settings.steps) {
      log(`step ${rate} orders/s for ${settings.stepSeconds} s ...`);
      const step = await runStep(ctx, rate, settings.stepSeconds);
      orderIds.push(...step.orderIds);
      steps.push(step.result);
      const s = step.result;
      log(`  ${s.achievedRate.toFixed(1)}/s, POST taken p99 ${s.accepted.p99.toFixed(0)} ms, CONFIRMED p99 ${s.confirmed.p99.toFixed(0)} ms, DELIVERED p99 ${s.delivered.p99.toFixed(0)} ms, lag ${s.lagSamples.at(-1)?.lag}, stack ${s.cpuMsPerOrder['stack'].toFixed(1)} CPU-ms/order`);
      if (s.unsustained.length > 0) {
        log(`  not sustained (${s.unsustained.join('; ')})${settings.allSteps ? '' : ': stopping here'}`);
        if (!settings.allSteps) break;
      }
    }

    log(`waiting for every order to be delivered, then checking nothing was lost or doubled ...`);
    const open = await waitForDelivery(orderDb, orderIds, Math.max(settings.drainSeconds, 300) * 1000);
    if (open > 0) log(`${open} orders still not delivered`);
    violations = await checkNothingLostOrDoubled({
      databaseUrls: Object.fromEntries(Object.entries(stack.databases).map(([service, name]) => [service, databaseUrl(name)])),
      orderIds,
      stockedUnits,
      skus,
    });
  } finally {
    await lag.disconnect();
    await orderDb.end();
    await stack.close();
  }

  const maxRate = maxSustainableRate(steps);
  printTables(steps);
  console.log(`\nmaximum sustainable rate: ${maxRate > 0 ? `${maxRate.toFixed(1)} orders/s` : 'none (the first step was not sustained)'}`);
  if ('skipped' in pgbench) console.log(`pgbench: skipped (${pgbench.skipped})`);
  else {
    const stackRate = maxRate > 0 ? `${maxRate.toFixed(1)} orders/s = 1 order per ${(pgbench.tps / maxRate).toFixed(0)} pgbench transactions` : 'no sustained rate';
    console.log(`pgbench tpcb-like, ${pgbench.clients} clients, ${pgbench.seconds} s: ${pgbench.tps.toFixed(0)} tps; the stack: ${stackRate}`);
  }
  console.log(violations.length === 0 ? 'checks: nothing lost or doubled' : `checks FAILED:\n  ${violations.join('\n  ')}`);
  const machine = `${os.availableParallelism()} CPUs (${os.cpus()[0]?.model ?? 'unknown'}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node ${process.version}, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`;
  console.log(`machine: ${machine}`);
  const files = writeArtifacts(settings.outDir, {
    startedAt,
    machine,
    settings,
    pgbench,
    maxSustainableRate: maxRate,
    ordersPerPgbenchTransaction: 'tps' in pgbench && maxRate > 0 ? maxRate / pgbench.tps : null,
    violations,
    steps,
  });
  console.log(`written: ${files.json}\n         ${files.svg}`);
  return violations.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`[throughput] ${error.stack ?? error.message}`);
    process.exit(1);
  },
);
