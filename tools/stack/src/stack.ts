// The stack runner: starts apps as child processes on their databases and topics, and stops them cleanly.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { apiKeySettingItem } from '@commerce/platform';
import { ensureDatabases, ensureTopics, REPO_ROOT } from '@commerce/provisioning';
import { freePort } from '@commerce/testing';
import { makeSink, ServiceProcess, shortName, type Sink, type SinkOptions } from './service-process';

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

/** The keys of the stack's callers, in plain text; the apps get their hashes (SERVICE_API_KEYS). */
export interface StackApiKeys {
  /** Caller `operator`, scope write: the demo, the benchmarks, the e2e suites, a person with curl. */
  operator: string;
  /** Caller `reconciliation`, scope read: the reconciliation service's MILESTONES_API_KEY. */
  reconciliation: string;
}

/** Fresh random keys for a stack. */
export function generateApiKeys(): StackApiKeys {
  return { operator: randomBytes(24).toString('base64url'), reconciliation: randomBytes(24).toString('base64url') };
}

/** The environment that makes the apps accept these keys, and the reconciliation service send its own. */
export function apiKeysEnv(keys: StackApiKeys): Record<string, string> {
  return {
    // Write: the reconciliation service also replays dead letters for operators (its pipes page).
    SERVICE_API_KEYS: [apiKeySettingItem('operator', 'write', keys.operator), apiKeySettingItem('reconciliation', 'write', keys.reconciliation)].join(','),
    MILESTONES_API_KEY: keys.reconciliation,
  };
}

export interface StackOptions extends SinkOptions {
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
  /** Port per app (full or short name); 0 = a free port. @defaultValue the app's own port */
  ports?: Record<string, number>;
  /** DATABASE_NAME per app (full or short name). @defaultValue the name with `_` (`order_service`) */
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
  /** Base URL per app, keyed by full (`order-service`) and short (`order`) name. */
  urls: Record<string, string>;
  /** DATABASE_NAME per app (full name). */
  databases: Record<string, string>;
  /** The keys the apps accept: send `operator` as X-Api-Key. */
  apiKeys: StackApiKeys;
  /** Process id per app, keyed like `urls` (a benchmark samples their CPU in /proc). */
  pids: Record<string, number>;
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

/** Starts apps and resolves once every one answers 200 on GET /health. */
export async function startStack(options: StackOptions = {}): Promise<RunningStack> {
  const apps = (options.services ?? Object.keys(SERVICES)).map(appName);
  const topicPrefix = options.topicPrefix ?? '';
  const ports: Record<string, number> = {};
  for (const app of apps) {
    const asked = pick(options.ports, app) ?? DEFAULT_PORTS[app];
    ports[app] = asked === 0 || asked === undefined ? await freePort() : asked;
  }
  const databases = Object.fromEntries(apps.map((app) => [app, pick(options.databases, app) ?? app.replace(/-/g, '_')]));
  if (options.createDatabases !== false) {
    await ensureDatabases(apps.filter((app) => !WITHOUT_DATABASE.has(app)).map((app) => databases[app] as string));
  }
  if (options.createTopics) await ensureTopics({ prefix: topicPrefix });

  const apiKeys = options.apiKeys ?? generateApiKeys();
  const stopTimeoutMs = options.stopTimeoutMs ?? 15_000;
  const processes: ServiceProcess[] = [];
  const sinks: Sink[] = [];
  const stop = async () => {
    await Promise.all(processes.map((p) => p.stop(stopTimeoutMs)));
    await Promise.all(sinks.map((sink) => sink.close()));
  };

  for (const app of apps) {
    const sink = makeSink(app, options);
    sinks.push(sink);
    const env: NodeJS.ProcessEnv = {
      // OTEL_* already in the environment take precedence over tracesTo.
      ...(options.tracesTo ? { OTEL_EXPORTER_ZIPKIN_ENDPOINT: options.tracesTo, OTEL_SERVICE_NAME: app } : {}),
      ...process.env,
      LOG_LEVEL: options.logLevel ?? process.env['LOG_LEVEL'] ?? 'info',
      ...apiKeysEnv(apiKeys),
      ...options.env,
      ...options.serviceEnv?.[app],
      ...options.serviceEnv?.[shortName(app)],
      DATABASE_NAME: databases[app],
      PORT: String(ports[app]),
      KAFKA_TOPIC_PREFIX: topicPrefix,
    };
    processes.push(new ServiceProcess({ app, port: ports[app] as number, sink, env }));
  }

  try {
    await Promise.all(processes.map((p) => p.waitHealthy(options.healthPath ?? '/health', options.healthTimeoutMs ?? 60_000, options.signal)));
  } catch (error) {
    await stop();
    throw error;
  }

  const urls: Record<string, string> = {};
  const pids: Record<string, number> = {};
  for (const p of processes) {
    urls[p.app] = urls[shortName(p.app)] = p.url;
    pids[p.app] = pids[shortName(p.app)] = p.pid;
  }
  return { urls, databases, apiKeys, pids, stop };
}
