/** One step: orders at a fixed rate, open loop, then what became of them and what they cost. */
import { performance } from 'node:perf_hooks';
import type { Client } from 'pg';
import type { ConsumerLag } from './consumer-lag';
import { lagFloor, lagStillGrowing, summarize, unsustainedBecause, type LagSample } from './figures';
import { readLatencies, waitForDelivery } from './observe';
import { StepCpu, type StackProcesses } from './stack-cpu';
import type { StepResult } from './step-result';
import { placeOrders } from './traffic';

export interface StepContext {
  orderUrl: string;
  /** A connection of the bench's own to the order service's database. */
  orderDb: Client;
  lag: ConsumerLag;
  processes: StackProcesses;
  skus: readonly string[];
  /** The warehouse's configured waits (dispatch + delivery), subtracted from placed -> DELIVERED. */
  warehouseWaitMs: number;
  lagEveryMs: number;
  drainTimeoutMs: number;
}

/** Sums the stack's own processes (not the bench, not the machine) into `stack`, then divides by the orders. */
function perOrder(cpuMs: Record<string, number>, orders: number): { cpuMs: Record<string, number>; cpuMsPerOrder: Record<string, number> } {
  const withStack = { ...cpuMs, stack: Object.entries(cpuMs).filter(([k]) => k !== 'bench' && k !== 'machine').reduce((a, [, v]) => a + v, 0) };
  const cpuMsPerOrder = Object.fromEntries(Object.entries(withStack).map(([k, v]) => [k, orders > 0 ? v / orders : Number.NaN]));
  return { cpuMs: withStack, cpuMsPerOrder };
}

export async function runStep(ctx: StepContext, rate: number, seconds: number): Promise<{ result: StepResult; orderIds: string[] }> {
  const cpu = await StepCpu.start(ctx.processes, ctx.orderDb);
  const started = performance.now();
  const lagSamples: LagSample[] = [];
  let lagging: Promise<void> = Promise.resolve();
  const sampleLag = () =>
    (lagging = lagging.then(async () => {
      const atMs = performance.now() - started;
      lagSamples.push({ atMs, lag: await ctx.lag.total() });
    }));
  const lagTimer = setInterval(() => void sampleLag(), ctx.lagEveryMs);
  let traffic;
  try {
    traffic = await placeOrders({ orderUrl: ctx.orderUrl, skus: ctx.skus, rate, seconds });
  } finally {
    clearInterval(lagTimer);
  }
  await lagging;
  const lagAtEnd = await ctx.lag.perGroup();
  lagSamples.push({ atMs: performance.now() - started, lag: Object.values(lagAtEnd).reduce((a, b) => a + b, 0) });

  const orderIds = [...traffic.sentAt.keys()];
  const drainStarted = performance.now();
  await waitForDelivery(ctx.orderDb, orderIds, ctx.drainTimeoutMs);
  const drainSeconds = (performance.now() - drainStarted) / 1000;
  const { cpuMs, machineStealMs, postgresBackends } = await cpu.stop();

  const latencies = await readLatencies(ctx.orderDb, traffic.sentAt, ctx.warehouseWaitMs);
  const confirmed = summarize(latencies.confirmed);
  const lagGrowing = lagStillGrowing(lagSamples, lagFloor(rate));
  const unsustained = unsustainedBecause({
    confirmedP99: confirmed.p99,
    unconfirmed: latencies.unconfirmed,
    undelivered: latencies.undelivered,
    postFailures: traffic.failures.length,
    lagGrowing,
  });
  if (traffic.failures.length > 0) unsustained.push(`first POST failure: ${traffic.failures[0]}`);
  return {
    orderIds,
    result: {
      targetRate: rate,
      achievedRate: orderIds.length / traffic.sendSeconds,
      orders: orderIds.length,
      postFailures: traffic.failures.length,
      confirmed,
      delivered: summarize(latencies.delivered),
      accepted: summarize(latencies.accepted),
      unconfirmed: latencies.unconfirmed,
      undelivered: latencies.undelivered,
      lagSamples,
      lagAtEnd,
      lagGrowing,
      drainSeconds,
      ...perOrder(cpuMs, orderIds.length),
      machineStealMs,
      postgresBackends,
      unsustained,
    },
  };
}
