// The stack runner: starts apps as child processes on their databases and topics, and stops them cleanly.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { apiKeySettingItem, databaseUrlFor } from '@commerce/platform';
import { DATABASE_URL, ensureDatabases, ensureTopics, KAFKA_BROKERS, REPO_ROOT } from '@commerce/provisioning';
import { freePort } from '@commerce/testing';
import { makeSink, shortName, type Sink, type SinkOptions } from './service-process';
import { type InstanceStatus, SupervisedInstance, type SupervisionOptions } from './supervisor';

/** The five business services and their own ports (what `startStack` starts by default). */
export const SERVICES: Readonly<Record<string, number>> = {
  'order-service': 3001,
  'inventory-service': 3002,
  'payment-service': 3003,
  'shipment-service': 3004,
  'notification-service': 3005,
};

/** The operators' side, started on top of the five by `npm start`. */
export const OPERATOR_APPS: Readonly<Record<string, number>> = {
  'reconciliation-service': 3006,
  'reconciliation-dashboard': 3010,
};

const DEFAULT_PORTS: Readonly<Record<string, number>> = { ...SERVICES, ...OPERATOR_APPS };
/** Apps without a database of their own (the dashboard talks to the reconciliation service). */
const WITHOUT_DATABASE = new Set(['reconciliation-dashboard']);
/** Apps that run as one instance whatever `replicas` says (the dashboard: one operator UI). */
const SINGLE_INSTANCE = new Set(['reconciliation-dashboard']);
/** Replica r of an app on its own port listens on the first replica's port + (r - 1) × this. */
export const REPLICA_PORT_STEP = 100;

/** The keys of the stack's callers, in plain text; the apps get their hashes (SERVICE_API_KEYS). */
export interface StackApiKeys {
  /** Caller `operator`, scope write: the demo, the benchmarks, the e2e suites, a person with curl. */
  operator: string;
  /**
   * Caller `reconciliation`, scope write: the reconciliation service's SERVICES_CALLER_KEY (it reads
   * milestones, and its pipes page replays dead letters for operators).
   */
  reconciliation: string;
  /** Caller `reader`, scope read: monitoring, read-only scripts, and the tests of read scope. */
  reader: string;
}

/** Fresh random keys for a stack. */
export function generateApiKeys(): StackApiKeys {
  const key = () => randomBytes(24).toString('base64url');
  return { operator: key(), reconciliation: key(), reader: key() };
}

/** The environment that makes the apps accept these keys, and the reconciliation service send its own. */
export function apiKeysEnv(keys: StackApiKeys): Record<string, string> {
  return {
    SERVICE_API_KEYS: [
      apiKeySettingItem('operator', 'write', keys.operator),
      apiKeySettingItem('reconciliation', 'write', keys.reconciliation),
      apiKeySettingItem('reader', 'read', keys.reader),
    ].join(','),
    SERVICES_CALLER_KEY: keys.reconciliation,
  };
}

export interface StackOptions extends SinkOptions, SupervisionOptions {
  /**
   * Instances of each app (full or short name, or one number for all), each on its own port, in the
   * same database and consumer group; the dashboard always runs once. @defaultValue 1
   */
  replicas?: number | Record<string, number>;
  /** The callers' keys. @defaultValue fresh random ones (see RunningStack.apiKeys) */
  apiKeys?: StackApiKeys;
  /** `order`, `order-service` or an app's exact name (`reconciliation-dashboard`). @defaultValue the five services */
  services?: string[];
  /** Extra environment for every app. */
  env?: Record<string, string>;
  /** Extra environment per app (keyed by full or short name). */
  serviceEnv?: Record<string, Record<string, string>>;
  /** KAFKA_TOPIC_PREFIX for every app. @defaultValue '' */
  topicPrefix?: string;
  /**
   * Port per app (full or short name); 0 = a free port for every replica. Replica r gets this port
   * + (r - 1) × REPLICA_PORT_STEP. @defaultValue the app's own port
   */
  ports?: Record<string, number>;
  /**
   * Each app's own database (full or short name) on the server of `DATABASE_URL` (`env`'s, else the
   * environment's): the app is given that URL with the database in its path. @defaultValue the name with `_` (`order_service`)
   */
  databases?: Record<string, string>;
  /** Create the missing databases first. @defaultValue true */
  createDatabases?: boolean;
  /** Create the backbone's missing topics (with the prefix) first. @defaultValue false */
  createTopics?: boolean;
  /** LOG_LEVEL for every app. @defaultValue the environment's, else 'info' */
  logLevel?: string;
  /** @defaultValue '/health' */
  healthPath?: string;
  /** @defaultValue 60000 */
  healthTimeoutMs?: number;
  /** SIGKILL this long after SIGTERM. @defaultValue 15000 */
  stopTimeoutMs?: number;
  /** Aborting it while starting stops what was started and rejects. */
  signal?: AbortSignal;
  /**
   * Zipkin's span endpoint (`.../api/v2/spans`): every app traces to it (OTEL_EXPORTER_ZIPKIN_ENDPOINT,
   * OTEL_SERVICE_NAME). @defaultValue none: no tracing unless OTEL_* is in the environment
   */
  tracesTo?: string;
}

export interface RunningStack {
  /**
   * Base URL per instance, keyed by full (`order-service`) and short (`order`) name; a further
   * replica as `order-service#2` and `order#2`.
   */
  urls: Record<string, string>;
  /** Every replica's URL per app (full name), first replica first. */
  replicaUrls: Record<string, string[]>;
  /** Each app's database (full name), named in the path of the DATABASE_URL it was given. */
  databases: Record<string, string>;
  /** The keys the apps accept: send `operator` as X-Api-Key. */
  apiKeys: StackApiKeys;
  /** Process id per instance at start-up, keyed like `urls` (a benchmark samples their CPU in /proc). */
  pids: Record<string, number>;
  /** Every instance's state, current pid, restarts and last death. */
  status(): InstanceStatus[];
  /**
   * Restarts one instance (`inventory#2`) or every replica of an app (`inventory`), one after the
   * other; with `whileStopped`, all of them are stopped together, it runs, then all start again
   * (what resetting a consumer group's offsets needs: a group with no member).
   */
  restart(name: string, whileStopped?: () => Promise<void>): Promise<void>;
  /** Sends a signal (default SIGKILL) to one instance's process; the supervisor restarts it. */
  kill(name: string, signal?: NodeJS.Signals): void;
  /** SIGTERM to every app, SIGKILL after stopTimeoutMs; resolves when all have exited. */
  stop(): Promise<void>;
}

/** `order`, `order-service` or an app's exact name → the app's folder name. */
export function appName(name: string): string {
  const hasMain = (app: string) => fs.existsSync(path.join(REPO_ROOT, 'apps', app, 'src', 'main.ts'));
  const full = hasMain(name) || name.endsWith('-service') ? name : `${name}-service`;
  if (!hasMain(full)) throw new Error(`unknown service "${name}": apps/${full}/src/main.ts does not exist`);
  return full;
}

const pick = <T>(byName: Record<string, T> | undefined, app: string): T | undefined => byName?.[app] ?? byName?.[shortName(app)];

/** `order-service` for the first replica, `order-service#2` for the second. */
const instanceName = (app: string, replica: number) => (replica === 1 ? app : `${app}#${replica}`);

function replicasOf(app: string, replicas: StackOptions['replicas']): number {
  if (SINGLE_INSTANCE.has(app)) return 1;
  const n = typeof replicas === 'number' ? replicas : (pick(replicas, app) ?? 1);
  if (!Number.isInteger(n) || n < 1) throw new Error(`replicas of ${app} must be a whole number ≥ 1, got ${n}`);
  return n;
}

/** Starts apps (each in its replicas) and resolves once every instance answers 200 on GET /health. */
export async function startStack(options: StackOptions = {}): Promise<RunningStack> {
  const apps = (options.services ?? Object.keys(SERVICES)).map(appName);
  const topicPrefix = options.topicPrefix ?? '';
  const plan: Array<{ app: string; replica: number; name: string; port: number }> = [];
  for (const app of apps) {
    const asked = pick(options.ports, app) ?? DEFAULT_PORTS[app];
    for (let replica = 1; replica <= replicasOf(app, options.replicas); replica++) {
      const port = asked === 0 || asked === undefined ? await freePort() : asked + (replica - 1) * REPLICA_PORT_STEP;
      plan.push({ app, replica, name: instanceName(app, replica), port });
    }
  }
  const databases = Object.fromEntries(apps.map((app) => [app, pick(options.databases, app) ?? app.replace(/-/g, '_')]));
  const databaseServer = options.env?.['DATABASE_URL'] ?? DATABASE_URL;
  if (options.createDatabases !== false) {
    await ensureDatabases(apps.filter((app) => !WITHOUT_DATABASE.has(app)).map((app) => databases[app] as string), databaseServer);
  }
  if (options.createTopics) await ensureTopics({ prefix: topicPrefix });

  const apiKeys = options.apiKeys ?? generateApiKeys();
  const stopTimeoutMs = options.stopTimeoutMs ?? 15_000;
  const instances: SupervisedInstance[] = [];
  const sinks: Sink[] = [];
  const stop = async () => {
    await Promise.all(instances.map((instance) => instance.stop()));
    await Promise.all(sinks.map((sink) => sink.close()));
  };

  for (const { app, replica, name, port } of plan) {
    const sink = makeSink(name, options);
    sinks.push(sink);
    const env: NodeJS.ProcessEnv = {
      // OTEL_* already in the environment take precedence over tracesTo.
      ...(options.tracesTo ? { OTEL_EXPORTER_ZIPKIN_ENDPOINT: options.tracesTo, OTEL_SERVICE_NAME: app } : {}),
      ...process.env,
      KAFKA_BROKERS, // every node of a local cluster (KAFKA_NODES), unless KAFKA_BROKERS says otherwise
      LOG_LEVEL: options.logLevel ?? process.env['LOG_LEVEL'] ?? 'info',
      ...apiKeysEnv(apiKeys),
      ...options.env,
      ...options.serviceEnv?.[app],
      ...options.serviceEnv?.[shortName(app)],
      ...(WITHOUT_DATABASE.has(app) ? {} : { DATABASE_URL: databaseUrlFor(databaseServer, databases[app] as string) }),
      PORT: String(port),
      KAFKA_TOPIC_PREFIX: topicPrefix,
    };
    instances.push(new SupervisedInstance({
      ...options, app, name, replica, port, sink, env,
      healthPath: options.healthPath ?? '/health',
      healthTimeoutMs: options.healthTimeoutMs ?? 60_000,
      stopTimeoutMs,
    }));
  }

  try {
    await Promise.all(instances.map((instance) => instance.waitHealthy(options.signal)));
  } catch (error) {
    await stop();
    throw error;
  }

  const urls: Record<string, string> = {};
  const pids: Record<string, number> = {};
  const replicaUrls: Record<string, string[]> = {};
  for (const instance of instances) {
    const { name, app, url, pid } = instance.status();
    urls[name] = urls[shortName(name)] = url;
    pids[name] = pids[shortName(name)] = pid;
    (replicaUrls[app] ??= []).push(url);
  }
  const byName = (name: string): SupervisedInstance[] => {
    const [app, replica] = name.split('#');
    const full = appName(app as string);
    const found = instances.filter((i) => i.status().app === full && (replica === undefined || i.status().replica === Number(replica)));
    if (found.length === 0) throw new Error(`no instance "${name}" in this stack`);
    return found;
  };
  return {
    urls,
    replicaUrls,
    databases,
    apiKeys,
    pids,
    stop,
    status: () => instances.map((instance) => instance.status()),
    restart: async (name, whileStopped) => {
      const chosen = byName(name);
      if (!whileStopped) {
        for (const instance of chosen) await instance.restart();
        return;
      }
      await Promise.all(chosen.map((instance) => instance.pause()));
      try {
        await whileStopped();
      } finally {
        await Promise.all(chosen.map((instance) => instance.resume()));
      }
    },
    kill: (name, signal = 'SIGKILL') => byName(name).forEach((instance) => instance.kill(signal)),
  };
}
