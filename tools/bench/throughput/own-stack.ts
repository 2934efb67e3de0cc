/**
 * The five services on fresh databases and topics of their own, with the demo warehouse on
 * (auto-dispatch and auto-delivery), for one throughput run; dropped again at the end.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { deleteTopics, ensureDatabases } from '@commerce/provisioning';
import { type RunningStack, startStack } from '@commerce/stack';
import { useApiKey } from './traffic';

export const BENCH_SERVICES = ['order-service', 'inventory-service', 'payment-service', 'shipment-service', 'notification-service'] as const;
export type BenchService = (typeof BENCH_SERVICES)[number];

export interface WarehouseTiming {
  /** AUTO_DISPATCH_SECONDS: a shipment waits this long before the demo warehouse dispatches it. */
  dispatchAfterSeconds: number;
  /** AUTO_DELIVER_SECONDS: a dispatched shipment waits this long before it is delivered. */
  deliverAfterSeconds: number;
  /** AUTO_SWEEP_INTERVAL_MS: how often the warehouse looks (it moves at most 100 shipments per look). */
  sweepIntervalMs: number;
}

export interface OwnStack {
  orderUrl: string;
  inventoryUrl: string;
  topicPrefix: string;
  /** Database name per service. */
  databases: Record<BenchService, string>;
  /** Process id per service. */
  pids: Record<BenchService, number>;
  close(): Promise<void>;
}

export async function startOwnStack(options: {
  serverUrl: string;
  warehouse: WarehouseTiming;
  keep: boolean;
  log: (message: string) => void;
}): Promise<OwnStack> {
  const id = randomUUID().replace(/-/g, '').slice(0, 8);
  const topicPrefix = `bench_${id}.`;
  const databases = Object.fromEntries(BENCH_SERVICES.map((s) => [s, `bench_${id}_${s.replace(/-service$/, '')}`])) as Record<BenchService, string>;
  await ensureDatabases(Object.values(databases), options.serverUrl);
  const logDir = `test-artifacts/bench/${id}`;
  options.log(`starting the stack (topic prefix ${topicPrefix}, logs in ${logDir}/) ...`);
  const started = performance.now();
  const drop = async () => {
    await deleteTopics({ prefix: topicPrefix });
    const client = new Client({ connectionString: options.serverUrl });
    await client.connect();
    try {
      for (const name of Object.values(databases)) await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    } finally {
      await client.end();
    }
  };
  let running: RunningStack;
  try {
    running = await startStack({
      services: [...BENCH_SERVICES],
      topicPrefix,
      databases,
      createDatabases: false,
      createTopics: true,
      ports: Object.fromEntries(BENCH_SERVICES.map((s) => [s, 0])),
      serviceEnv: {
        'shipment-service': {
          AUTO_DISPATCH_SECONDS: String(options.warehouse.dispatchAfterSeconds),
          AUTO_DELIVER_SECONDS: String(options.warehouse.deliverAfterSeconds),
          AUTO_SWEEP_INTERVAL_MS: String(options.warehouse.sweepIntervalMs),
        },
      },
      logDir,
      logLevel: process.env['LOG_LEVEL'] ?? 'warn',
      // Five services compiling at once on a busy 2-core machine can take longer than the default minute.
      healthTimeoutMs: 180_000,
    });
  } catch (error) {
    if (!options.keep) await drop();
    throw error;
  }
  options.log(`stack up in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  useApiKey(running.apiKeys.operator);
  const pids = Object.fromEntries(BENCH_SERVICES.map((s) => [s, running.pids[s]])) as Record<BenchService, number>;
  return {
    orderUrl: running.urls['order-service'],
    inventoryUrl: running.urls['inventory-service'],
    topicPrefix,
    databases,
    pids,
    async close() {
      await running.stop();
      if (options.keep) {
        options.log(`kept databases ${Object.values(databases).join(', ')} and topics ${topicPrefix}*`);
        return;
      }
      await drop();
    },
  };
}
