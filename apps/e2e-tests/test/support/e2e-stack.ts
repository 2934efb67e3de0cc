import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { Client } from 'pg';
import { generateApiKeys, type RunningStack, type StackApiKeys, startStack } from '@commerce/stack';
import {
  createTestDatabase,
  createTestTopics,
  deleteRedisKeys,
  deleteTestTopics,
  freePort,
  repoRoot,
  type SecuredInfra,
  startSecuredInfra,
  type TestDatabase,
  uniqueName,
} from '@commerce/testing';

/**
 * `E2E_SECURE=1` (`npm run test:e2e:secure`) runs every stack on the secured trio: Kafka over
 * SASL_SSL, Postgres and Redis with passwords over TLS (see startSecuredInfra); the keys are always on.
 */
export const E2E_SECURE = process.env['E2E_SECURE'] === '1';

export const E2E_SERVICES = ['order-service', 'inventory-service', 'payment-service', 'shipment-service', 'notification-service'] as const;
export type E2eService = (typeof E2E_SERVICES)[number];
export const RECONCILIATION_SERVICE = 'reconciliation-service' as const;
type E2eApp = E2eService | typeof RECONCILIATION_SERVICE;

export interface E2eStackOptions {
  /** Extra environment for the five services. */
  env?: Record<string, string>;
  /**
   * Also start the reconciliation service, reading the five's /milestones and sending its repair
   * commands on the stack's topics, with these settings (grace per rule, repair delays...).
   */
  reconciliation?: Record<string, string>;
  /** On the secured trio (a Postgres and a Redis of the stack's own, Kafka over SASL_SSL). @defaultValue E2E_SECURE */
  secure?: boolean;
}

/** The reconciliation service of a stack: its URL and the key its REST API asks for. */
export interface E2eReconciliation {
  url: string;
  apiKey: string;
}

export interface E2eStack {
  urls: Record<E2eService, string>;
  /** The keys the five services accept: `operator` may write, `reconciliation` may read. */
  apiKeys: StackApiKeys;
  /** Present when the stack was started with `reconciliation`. */
  reconciliation?: E2eReconciliation;
  /** Every topic name is `prefix + commerce.<domain>.events`. */
  topicPrefix: string;
  /** The secured Postgres/Redis the stack runs on, when it was started `secure`. */
  securedInfra: SecuredInfra | null;
  /** Where each app's output goes (`<name>.log`). */
  logDir: string;
  /** Reads or edits a service's own database behind its back (as a hand edit or a restored backup would). */
  sql<T = Record<string, unknown>>(service: E2eService, text: string, params?: unknown[]): Promise<T[]>;
  /** The service's Kafka consumer group. */
  consumerGroup(service: E2eService): string;
  /** SIGTERM to one service (it drains its consumer, leaves its group and flushes its outbox); resolves once it exited. */
  stopService(service: E2eService): Promise<void>;
  /** Starts a stopped service again, on its port and database; resolves once it answers /health. */
  startService(service: E2eService): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The five services as real processes on free ports, each on a fresh database of its own and all
 * on topics of their own (as many partitions as production), so the suite shares nothing with other runs; optionally
 * the reconciliation service on top, on a database and BullMQ prefix of its own. Each app is a
 * stack of its own, so a test can stop one and start it again.
 */
export async function startE2eStack(options: E2eStackOptions = {}): Promise<E2eStack> {
  const topicPrefix = `${uniqueName('e2e')}.`;
  const logDir = path.join(repoRoot, 'test-artifacts', 'e2e', topicPrefix.slice(0, -1));
  const apps: E2eApp[] = [...E2E_SERVICES, ...(options.reconciliation ? [RECONCILIATION_SERVICE] : [])];
  const databases = new Map<E2eApp, TestDatabase>();
  const ports = new Map<E2eApp, number>();
  const running = new Map<E2eApp, RunningStack>();
  const env = new Map<E2eApp, Record<string, string>>();
  const queuePrefix = uniqueName('e2e-recon');
  const apiKey = randomBytes(24).toString('hex');
  // One set of keys for every app: each is a stack of its own, which would otherwise make its own.
  const apiKeys = generateApiKeys();
  const url = (app: E2eApp) => `http://127.0.0.1:${ports.get(app)}`;
  let securedInfra: SecuredInfra | null = null;

  const start = async (app: E2eApp) => {
    if (running.has(app)) throw new Error(`${app} is already running`);
    running.set(
      app,
      await startStack({
        services: [app],
        topicPrefix,
        databases: { [app]: (databases.get(app) as TestDatabase).name },
        createDatabases: false,
        ports: { [app]: ports.get(app) as number },
        apiKeys,
        logDir,
        logLevel: process.env['LOG_LEVEL'] ?? 'info',
        env: env.get(app),
        // Six apps compiling at once on a shared two-core machine can take longer than the default minute.
        healthTimeoutMs: 180_000,
      }),
    );
  };
  const stopApp = async (app: E2eApp) => {
    const stack = running.get(app);
    running.delete(app);
    await stack?.stop();
  };
  const stopAll = async () => {
    await Promise.all([...running.keys()].map(stopApp));
    await deleteTestTopics(topicPrefix);
    if (securedInfra) return securedInfra.stop(); // its databases and queues go with it
    await Promise.all([...databases.values()].map((db) => db.drop()));
    if (options.reconciliation) await deleteRedisKeys(queuePrefix);
  };

  try {
    if (options.secure ?? E2E_SECURE) securedInfra = await startSecuredInfra({ redis: options.reconciliation !== undefined });
    for (const app of apps) {
      databases.set(app, await createTestDatabase(app.replace(/-service$/, ''), securedInfra?.postgres.url));
      // The reconciliation service's port is taken just before it starts (below): held from here,
      // through the five services' start-up, another suite's server listening on port 0 got it once.
      if (app !== RECONCILIATION_SERVICE) ports.set(app, await freePort());
    }
    for (const service of E2E_SERVICES) env.set(service, { ...securedInfra?.env, ...options.env });
    if (options.reconciliation) {
      env.set(RECONCILIATION_SERVICE, {
        ...securedInfra?.env,
        ORDER_SERVICE_URL: url('order-service'),
        INVENTORY_SERVICE_URL: url('inventory-service'),
        PAYMENT_SERVICE_URL: url('payment-service'),
        SHIPMENT_SERVICE_URL: url('shipment-service'),
        NOTIFICATION_SERVICE_URL: url('notification-service'),
        RECONCILIATION_QUEUE_PREFIX: queuePrefix,
        RECONCILIATION_API_KEY: apiKey,
        ...options.reconciliation,
      });
    }
    await createTestTopics(topicPrefix);
    await Promise.all(E2E_SERVICES.map(start));
    if (options.reconciliation) {
      ports.set(RECONCILIATION_SERVICE, await freePort());
      await start(RECONCILIATION_SERVICE);
    }
  } catch (error) {
    await stopAll();
    throw error;
  }

  return {
    urls: Object.fromEntries(E2E_SERVICES.map((s) => [s, url(s)])) as Record<E2eService, string>,
    apiKeys,
    ...(options.reconciliation ? { reconciliation: { url: url(RECONCILIATION_SERVICE), apiKey } } : {}),
    topicPrefix,
    securedInfra,
    logDir,
    async sql<T>(service: E2eService, text: string, params: unknown[] = []) {
      const client = new Client({ connectionString: (databases.get(service) as TestDatabase).url });
      await client.connect();
      try {
        return (await client.query(text, params)).rows as T[];
      } finally {
        await client.end();
      }
    },
    // libs/messaging: the group is the topic prefix and the service's name.
    consumerGroup: (service) => topicPrefix + service,
    stopService: stopApp,
    startService: start,
    stop: stopAll,
  };
}
