// The stack runner: starts services as child processes and stops them cleanly.
//
// CommonJS on purpose: jest suites (CommonJS) can `require` it without VM modules, and ESM
// callers (tools/stack/stack.mjs, `npm start`, the benchmarks) import it just as easily.
// Plain Node, no build step.
'use strict';

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const readline = require('node:readline');

const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** The five business services and their default ports (what `startStack` starts by default). */
const SERVICES = {
  'order-service': 3001,
  'inventory-service': 3002,
  'payment-service': 3003,
  'shipment-service': 3004,
  'notification-service': 3005,
};

/** The operators' side, started on top of the five by `npm start`. */
const OPERATOR_APPS = {
  'reconciliation-service': 3006,
  'reconciliation-dashboard': 3010,
};

const DEFAULT_PORTS = { ...SERVICES, ...OPERATOR_APPS };

const DEFAULT_SERVER_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const HEALTH_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;
/** Lines of each service's output kept in memory for error messages. */
const TAIL_LINES = 40;

/** `order`, `order-service` or an app's exact name (`reconciliation-dashboard`) → the app folder name. */
function serviceName(name) {
  const exact = fs.existsSync(path.join(REPO_ROOT, 'apps', name, 'src', 'main.ts'));
  const full = exact || name.endsWith('-service') ? name : `${name}-service`;
  if (!fs.existsSync(path.join(REPO_ROOT, 'apps', full, 'src', 'main.ts'))) {
    throw new Error(`unknown service "${name}": apps/${full}/src/main.ts does not exist`);
  }
  return full;
}

/** `order-service` → `order` (the log prefix). */
const shortName = (service) => service.replace(/-service$/, '');

/** `order-service` → `order_service` (the default database name). */
const defaultDatabase = (service) => service.replace(/-/g, '_');

/** Apps without a database of their own (the dashboard talks to the reconciliation service). */
const WITHOUT_DATABASE = new Set(['reconciliation-dashboard']);

/** A TCP port nobody listens on right now (the OS picks it). */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function databaseUrl(serverUrl, name) {
  const url = new URL(serverUrl);
  url.pathname = `/${encodeURIComponent(name)}`;
  return url.toString();
}

/** Creates the databases that do not exist yet on the server of `serverUrl`. */
async function ensureDatabases(names, serverUrl = process.env.DATABASE_URL || DEFAULT_SERVER_URL) {
  const { Client } = require('pg');
  const client = new Client({ connectionString: serverUrl });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(`Postgres unreachable at ${new URL(serverUrl).host} (DATABASE_URL): ${error.message}. Try \`npm run infra:up\`.`);
  }
  try {
    const { rows } = await client.query('SELECT datname FROM pg_database WHERE datname = ANY($1)', [names]);
    const existing = new Set(rows.map((row) => row.datname));
    for (const name of names.filter((n) => !existing.has(n))) {
      if (!/^[a-z0-9_]+$/i.test(name)) throw new Error(`refusing to create database with unusual name "${name}"`);
      try {
        await client.query(`CREATE DATABASE "${name}"`);
      } catch (error) {
        // Someone else (another stack, infra up) created it in between: that is what we wanted.
        if (error.code !== '42P04') throw error;
      }
    }
  } finally {
    await client.end();
  }
}

/** Creates the missing topics (`prefix + name`) with `partitions` partitions each. */
async function ensureTopics({ topics, prefix = '', partitions = 3, brokers = process.env.KAFKA_BROKERS || '127.0.0.1:9092' }) {
  const { Kafka, logLevel } = require('kafkajs');
  const admin = new Kafka({ clientId: 'stack-admin', brokers: brokers.split(',').map((b) => b.trim()).filter(Boolean), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.map((t) => prefix + t).filter((t) => !existing.has(t));
    if (missing.length > 0) {
      await admin.createTopics({ waitForLeaders: true, topics: missing.map((topic) => ({ topic, numPartitions: partitions, replicationFactor: 1 })) });
    }
  } finally {
    await admin.disconnect();
  }
}

/** Deletes `prefix + name` for each topic that exists (cleans up after a run on topics of its own). */
async function deleteTopics({ topics, prefix, brokers = process.env.KAFKA_BROKERS || '127.0.0.1:9092' }) {
  if (!prefix) throw new Error('deleteTopics needs a prefix: the shared, unprefixed topics are never deleted');
  const { Kafka, logLevel } = require('kafkajs');
  const admin = new Kafka({ clientId: 'stack-admin', brokers: brokers.split(',').map((b) => b.trim()).filter(Boolean), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const doomed = topics.map((t) => prefix + t).filter((t) => existing.has(t));
    if (doomed.length > 0) await admin.deleteTopics({ topics: doomed });
  } finally {
    await admin.disconnect();
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function isHealthy(url) {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await response.arrayBuffer();
    return response.status === 200;
  } catch {
    return false; // not listening yet: the caller keeps polling until its deadline
  }
}

/**
 * One service as a child process: `node -r @swc-node/register apps/<service>/src/main.ts`.
 * Output goes line by line to `sink` (prefixed) and into a short tail for error messages.
 */
class ServiceProcess {
  constructor({ service, port, env, sink }) {
    this.service = service;
    this.port = port;
    this.url = `http://127.0.0.1:${port}`;
    this.tail = [];
    this.exit = null;
    // STACK_NODE_ARGS: extra node flags for every service, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"
    // (flags NODE_OPTIONS refuses).
    const nodeArgs = (process.env.STACK_NODE_ARGS ?? '').split(' ').filter(Boolean);
    this.child = spawn(process.execPath, [...nodeArgs, '-r', '@swc-node/register', path.join('apps', service, 'src', 'main.ts')], {
      cwd: REPO_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.exited = new Promise((resolve) => {
      this.child.on('exit', (code, signal) => {
        this.exit = { code, signal };
        resolve(this.exit);
      });
    });
    for (const stream of [this.child.stdout, this.child.stderr]) {
      readline.createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
        this.tail.push(line);
        if (this.tail.length > TAIL_LINES) this.tail.shift();
        sink(line);
      });
    }
  }

  tailText() {
    return this.tail.length > 0 ? this.tail.map((line) => `    ${line}`).join('\n') : '    (no output)';
  }

  /** Polls GET <healthPath> until it answers 200; fails early if the process exits. */
  async waitHealthy(healthPath, timeoutMs, signal) {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (signal?.aborted) throw new Error(`start of ${this.service} aborted`);
      if (this.exit) {
        throw new Error(`${this.service} exited (${this.exit.signal ?? `code ${this.exit.code}`}) before it was healthy. Last output:\n${this.tailText()}`);
      }
      if (await isHealthy(this.url + healthPath)) return;
      await sleep(250);
    }
    throw new Error(`${this.service} did not answer 200 on ${this.url}${healthPath} within ${Math.round(timeoutMs / 1000)} s. Last output:\n${this.tailText()}`);
  }

  /** SIGTERM (graceful: the service drains its consumer and flushes its outbox), SIGKILL after a while. */
  async stop(timeoutMs) {
    if (this.exit) return this.exit;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => {
      if (!this.exit) {
        process.stderr.write(`[stack] ${this.service} still running ${timeoutMs / 1000} s after SIGTERM; sending SIGKILL\n`);
        this.child.kill('SIGKILL');
      }
    }, timeoutMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }
}

function makeSink(service, { logPrefix, logDir, silent }) {
  if (logDir) {
    fs.mkdirSync(logDir, { recursive: true });
    const file = fs.createWriteStream(path.join(logDir, `${shortName(service)}.log`), { flags: 'a' });
    return Object.assign((line) => file.write(`${line}\n`), { close: () => new Promise((resolve) => file.end(resolve)) });
  }
  if (silent) return Object.assign(() => undefined, { close: async () => undefined });
  const prefix = logPrefix === false ? '' : `[${shortName(service)}]`.padEnd(15);
  return Object.assign((line) => process.stdout.write(`${prefix}${line}\n`), { close: async () => undefined });
}

/**
 * Starts services and resolves once every one answers 200 on GET /health.
 *
 * @param {object} [options]
 * @param {string[]} [options.services] names (`order` or `order-service`); default: the five services
 * @param {Record<string, string>} [options.env] extra environment for every service
 * @param {Record<string, Record<string, string>>} [options.serviceEnv] extra environment per service
 * @param {string} [options.topicPrefix] KAFKA_TOPIC_PREFIX for every service; default ''
 * @param {Record<string, number>} [options.ports] port per service; 0 = a free port; default: the service's own port
 * @param {Record<string, string>} [options.databases] DATABASE_NAME per service; default `<service>` with `_` (order_service)
 * @param {boolean} [options.createDatabases] create the missing databases first; default true
 * @param {{ topics: string[], partitions?: number }} [options.createTopics] create these topics (with the prefix) if missing
 * @param {string} [options.logLevel] LOG_LEVEL for every service; default the environment's, else 'info'
 * @param {boolean} [options.logPrefix] prefix each output line with `[order]`; default true
 * @param {string} [options.logDir] write each service's output to `<logDir>/<name>.log` instead of stdout
 * @param {boolean} [options.silent] drop the output (the tail is still kept for error messages)
 * @param {string} [options.healthPath] default '/health'
 * @param {number} [options.healthTimeoutMs] default 60000
 * @param {number} [options.stopTimeoutMs] SIGKILL this long after SIGTERM; default 15000
 * @param {AbortSignal} [options.signal] aborting it while starting stops what was started and rejects
 * @returns {Promise<{ urls: Record<string, string>, stop(): Promise<void> }>} urls keyed by full and short name
 */
async function startStack(options = {}) {
  const services = (options.services ?? Object.keys(SERVICES)).map(serviceName);
  const ports = {};
  for (const service of services) {
    const asked = options.ports?.[service] ?? options.ports?.[shortName(service)] ?? DEFAULT_PORTS[service];
    ports[service] = asked === 0 || asked === undefined ? await freePort() : asked;
  }
  const databases = Object.fromEntries(
    services.map((s) => [s, options.databases?.[s] ?? options.databases?.[shortName(s)] ?? defaultDatabase(s)]),
  );
  if (options.createDatabases !== false) {
    await ensureDatabases(Object.entries(databases).filter(([s]) => !WITHOUT_DATABASE.has(s)).map(([, db]) => db));
  }
  if (options.createTopics) await ensureTopics({ ...options.createTopics, prefix: options.topicPrefix ?? '' });

  const stopTimeoutMs = options.stopTimeoutMs ?? STOP_TIMEOUT_MS;
  const processes = [];
  const sinks = [];
  const stop = async () => {
    await Promise.all(processes.map((p) => p.stop(stopTimeoutMs)));
    await Promise.all(sinks.map((sink) => sink.close()));
  };

  for (const service of services) {
    const sink = makeSink(service, options);
    sinks.push(sink);
    processes.push(
      new ServiceProcess({
        service,
        port: ports[service],
        sink,
        env: {
          ...process.env,
          LOG_LEVEL: options.logLevel ?? process.env.LOG_LEVEL ?? 'info',
          ...options.env,
          ...options.serviceEnv?.[service],
          ...options.serviceEnv?.[shortName(service)],
          DATABASE_NAME: databases[service],
          PORT: String(ports[service]),
          KAFKA_TOPIC_PREFIX: options.topicPrefix ?? '',
        },
      }),
    );
  }

  try {
    await Promise.all(
      processes.map((p) => p.waitHealthy(options.healthPath ?? '/health', options.healthTimeoutMs ?? HEALTH_TIMEOUT_MS, options.signal)),
    );
  } catch (error) {
    await stop();
    throw error;
  }

  const urls = {};
  for (const p of processes) {
    urls[p.service] = p.url;
    urls[shortName(p.service)] = p.url;
  }
  // Process id per service (full name), for benchmarks that sample its CPU time in /proc.
  const pids = Object.fromEntries(processes.map((p) => [p.service, p.child.pid]));
  return { urls, databases, pids, stop };
}

module.exports = { startStack, ensureDatabases, ensureTopics, deleteTopics, freePort, databaseUrl, SERVICES, OPERATOR_APPS, REPO_ROOT };
