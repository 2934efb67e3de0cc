import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createTestDatabase, createTestTopics, deleteRedisKeys, deleteTestTopics, freePort, repoRoot, testBrokers, testRedisUrl, uniqueName } from '@commerce/testing';
import type { MilestoneSources } from './milestone-sources';

export interface RunningReconciliation {
  url: string;
  queuePrefix: string;
  /** Its Kafka topics' prefix (KAFKA_TOPIC_PREFIX). */
  topicPrefix: string;
  /** The key its REST API asks for (`X-Api-Key`): give it to the dashboard as RECONCILIATION_API_KEY. */
  apiKey: string;
  /** The last lines it printed (for failure messages). */
  output(): string;
  stop(): Promise<void>;
}

/**
 * The real reconciliation service as its own process (`node -r @swc-node/register
 * apps/reconciliation-service/src/main.ts`), on a fresh database, its own Kafka topics and its own
 * BullMQ prefix, reading milestones from `sources`. Scheduled scans are off: runs start when asked.
 */
export async function startReconciliationService(sources: MilestoneSources, extraEnv: Record<string, string> = {}): Promise<RunningReconciliation> {
  const db = await createTestDatabase('recon_dash');
  const topicPrefix = `${uniqueName('t')}.`;
  const queuePrefix = uniqueName('recon-dash');
  await createTestTopics(topicPrefix);

  const port = await freePort();
  const apiKey = randomBytes(24).toString('hex');
  const url = `http://127.0.0.1:${port}`;
  let output = '';
  const child: ChildProcess = spawn(process.execPath, ['-r', '@swc-node/register', 'apps/reconciliation-service/src/main.ts'], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: process.env['RECON_LOG_LEVEL'] ?? 'warn',
      PORT: String(port),
      DATABASE_URL: db.url,
      KAFKA_BROKERS: testBrokers().join(','),
      KAFKA_TOPIC_PREFIX: topicPrefix,
      REDIS_URL: testRedisUrl(),
      RECONCILIATION_QUEUE_PREFIX: queuePrefix,
      RECONCILIATION_API_KEY: apiKey,
      SERVICES_CALLER_KEY: 'a-key-the-fake-sources-ignore',
      ORDER_SERVICE_URL: sources.urls.order,
      INVENTORY_SERVICE_URL: sources.urls.inventory,
      PAYMENT_SERVICE_URL: sources.urls.payment,
      SHIPMENT_SERVICE_URL: sources.urls.shipment,
      NOTIFICATION_SERVICE_URL: sources.urls.notification,
      INCREMENTAL_SCAN_EVERY_MS: '0',
      FULL_SCAN_EVERY_MS: '0',
      MILESTONES_RETRIES: '0',
      ...extraEnv,
    },
  });
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    }
    await db.drop();
    await deleteRedisKeys(queuePrefix);
    await deleteTestTopics(topicPrefix);
  };

  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`reconciliation-service exited with ${child.exitCode} before it was healthy:\n${output.slice(-4000)}`);
    }
    const healthy = await fetch(`${url}/health`).then(
      (response) => response.ok,
      () => false,
    );
    if (healthy) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`reconciliation-service was not healthy within 90 s:\n${output.slice(-4000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return { url, queuePrefix, topicPrefix, apiKey, output: () => output, stop };
}
