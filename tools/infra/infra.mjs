#!/usr/bin/env node
// Local infrastructure for the monorepo: Kafka (KRaft, single node), Postgres, Redis.
//
//   node tools/infra/infra.mjs up       start what is missing, create topics and databases
//   node tools/infra/infra.mjs status   one line per component
//   node tools/infra/infra.mjs down     stop only what `up` started (recorded in .infra/started.json)
//
// Kafka resolution order: broker already answering -> Docker engine (`docker compose up -d kafka`)
// -> `java` on PATH (jars from Maven Central, cached in .infra/kafka-libs/<version>/) -> clear error.
// Importable without side effects: main() runs only when this file is executed directly.
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  accessSync, closeSync, constants, existsSync, mkdirSync, openSync, readFileSync, readdirSync,
  realpathSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync, writeSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import { delimiter, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

import {
  DATABASES, DATABASE_URL, INFRA_DIR, KAFKA_BROKERS, KAFKA_CONTROLLER_PORT, KAFKA_HEAP_OPTS, KAFKA_HOST,
  KAFKA_PARTITIONS, KAFKA_PORT, KAFKA_VERSION, PGPORT_LOCAL, REDIS_URL, RELOAD4J_VERSION, REPO_ROOT,
  SCALA_BINARY_VERSION, SLF4J_VERSION, TOPICS, kafkaBrokers,
} from './config.mjs';

const KAFKA_READY_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 20_000;

export const paths = {
  started: join(INFRA_DIR, 'started.json'),
  lock: join(INFRA_DIR, 'up.lock'),
  kafkaDir: join(INFRA_DIR, 'kafka'),
  kafkaData: join(INFRA_DIR, 'kafka', 'data'),
  kafkaLogs: join(INFRA_DIR, 'kafka', 'logs'),
  kafkaPid: join(INFRA_DIR, 'kafka', 'kafka.pid'),
  kafkaProps: join(INFRA_DIR, 'kafka', 'server.properties'),
  kafkaLog4j: join(INFRA_DIR, 'kafka', 'log4j.properties'),
  kafkaLibs: join(INFRA_DIR, 'kafka-libs', KAFKA_VERSION),
  kafkaPom: join(dirname(fileURLToPath(import.meta.url)), 'kafka-pom.xml'),
  pgDir: join(INFRA_DIR, 'postgres'),
  pgData: join(INFRA_DIR, 'postgres', 'data'),
  pgRun: join(INFRA_DIR, 'postgres', 'run'),
  pgLog: join(INFRA_DIR, 'postgres', 'postgres.log'),
  redisDir: join(INFRA_DIR, 'redis'),
  redisPid: join(INFRA_DIR, 'redis', 'redis.pid'),
  redisLog: join(INFRA_DIR, 'redis', 'redis.log'),
};

// ------------------------------------------------------------------------------------------ helpers
export class InfraError extends Error {}

const log = (component, message) => console.log(`[infra] ${component.padEnd(8)} ${message}`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const rel = (p) => { const r = relative(REPO_ROOT, p); return r.startsWith('..') ? p : r || '.'; };
const isLocalHost = (host) => ['127.0.0.1', 'localhost', '::1', '[::1]', ''].includes(host);

const require = createRequire(import.meta.url); // CJS deps; require() also honours NODE_PATH (import does not)
function dep(name) {
  try {
    return require(name);
  } catch (err) {
    if (err.code === 'MODULE_NOT_FOUND') {
      throw new InfraError(`npm package "${name}" is not installed: run "npm install" at the repo root`);
    }
    throw err;
  }
}

function which(cmd) {
  for (const dir of (process.env.PATH || '').split(delimiter)) {
    if (!dir) continue;
    const file = join(dir, cmd);
    try {
      accessSync(file, constants.X_OK);
      if (statSync(file).isFile()) return file;
    } catch { /* not here */ }
  }
  return null;
}

/** Run a command to completion, capturing output. Never throws for a non-zero exit. */
function run(cmd, args, { timeoutMs = 0, ...opts } = {}) {
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    let child;
    try {
      child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
    } catch (error) {
      resolve({ code: -1, stdout, stderr: String(error), error });
      return;
    }
    const timer = timeoutMs ? setTimeout(() => child.kill('SIGKILL'), timeoutMs) : null;
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', (error) => { if (timer) clearTimeout(timer); resolve({ code: -1, stdout, stderr: stderr + String(error), error }); });
    child.on('close', (code, signal) => { if (timer) clearTimeout(timer); resolve({ code: code ?? -1, signal, stdout, stderr }); });
  });
}

function tcpOpen(host, port, timeoutMs = 1000) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok) => { socket.destroy(); resolve(ok); };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

function isAlive(pid) {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
  } catch (err) {
    return err.code === 'EPERM';
  }
  try {
    // an exited detached child stays a zombie until its (re)parent reaps it: count that as gone
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true; // no /proc (macOS): trust kill(0)
  }
}

/** Command line of a process (Linux); null where /proc is unavailable. */
function cmdline(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return null;
  }
}

/** Alive and (where we can tell) still the process we started, not a recycled pid. */
function isOurProcess(pid, marker) {
  if (!isAlive(pid)) return false;
  const cmd = cmdline(pid);
  return cmd === null || cmd === '' || cmd.includes(marker);
}

function readPid(file) {
  try {
    const pid = Number.parseInt(readFileSync(file, 'utf8').split('\n')[0], 10);
    return Number.isFinite(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function tail(file, lines = 15) {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

function writeFileAtomic(file, content) {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, content);
  renameSync(tmp, file);
}

export function readStarted() {
  try {
    return JSON.parse(readFileSync(paths.started, 'utf8'));
  } catch {
    return {};
  }
}

function saveStarted(state) {
  writeFileAtomic(paths.started, `${JSON.stringify(state, null, 2)}\n`);
}

/** Signal a process, wait up to timeoutMs for it to exit, then SIGKILL it. */
async function stopPid(pid, { signal = 'SIGTERM', timeoutMs = STOP_TIMEOUT_MS } = {}) {
  if (!isAlive(pid)) return 'not running';
  try { process.kill(pid, signal); } catch { return 'not running'; }
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return `stopped (${signal})`;
    await sleep(200);
  }
  try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
  for (let i = 0; i < 25 && isAlive(pid); i++) await sleep(200);
  return `killed (SIGKILL after ${timeoutMs / 1000}s)`;
}

/** Serialises concurrent `up` runs (e.g. parallel test targets) so only one starts a broker. */
async function withLock(fn) {
  mkdirSync(INFRA_DIR, { recursive: true });
  const deadline = Date.now() + 180_000;
  let announced = false;
  for (;;) {
    try {
      const fd = openSync(paths.lock, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      const holder = readPid(paths.lock);
      if (!isAlive(holder)) {
        rmSync(paths.lock, { force: true });
        continue;
      }
      if (Date.now() > deadline) throw new InfraError(`another "infra up" (pid ${holder}) holds ${rel(paths.lock)}`);
      if (!announced) log('infra', `waiting for another "infra up" (pid ${holder}) to finish...`);
      announced = true;
      await sleep(500);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(paths.lock, { force: true });
  }
}

// ------------------------------------------------------------------------------------------ Kafka
function kafkaClient(brokers, { timeoutMs = 3000, retries = 0 } = {}) {
  const { Kafka, logLevel } = dep('kafkajs');
  return new Kafka({
    clientId: 'infra',
    brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: Math.min(timeoutMs, 3000),
    requestTimeout: timeoutMs,
    retry: { retries, initialRetryTime: 200, maxRetryTime: 2000 },
  });
}

/** describeCluster() result when a broker answers, otherwise null. */
export async function probeKafka(brokers = kafkaBrokers(), timeoutMs = 3000) {
  const admin = kafkaClient(brokers, { timeoutMs }).admin();
  let timer;
  try {
    const attempt = (async () => {
      await admin.connect();
      return admin.describeCluster();
    })();
    attempt.catch(() => {});
    const timeout = new Promise((resolve) => { timer = setTimeout(() => resolve(null), timeoutMs + 500); });
    return await Promise.race([attempt, timeout]);
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
    await admin.disconnect().catch(() => {});
  }
}

/** Poll until a broker answers; fail early if the process we started dies. */
async function waitForKafka(brokers, { pid = null, timeoutMs = KAFKA_READY_TIMEOUT_MS } = {}) {
  const start = Date.now();
  let nextReport = 5000;
  for (;;) {
    const cluster = await probeKafka(brokers, 2000);
    if (cluster) return cluster;
    const elapsed = Date.now() - start;
    if (pid && !isAlive(pid)) {
      throw new InfraError(
        `the Kafka broker (pid ${pid}) exited during start-up. Last lines of its logs:\n` +
          `--- ${rel(join(paths.kafkaLogs, 'kafka.out'))}\n${tail(join(paths.kafkaLogs, 'kafka.out'))}\n` +
          `--- ${rel(join(paths.kafkaLogs, 'server.log'))}\n${tail(join(paths.kafkaLogs, 'server.log'))}`,
      );
    }
    if (elapsed > timeoutMs) {
      throw new InfraError(
        `no Kafka broker answered on ${brokers.join(',')} within ${timeoutMs / 1000}s` +
          (pid ? `; see ${rel(paths.kafkaLogs)}/` : ''),
      );
    }
    if (elapsed >= nextReport) {
      log('kafka', `waiting for broker at ${brokers.join(',')} (${Math.round(elapsed / 1000)}s)...`);
      nextReport += 5000;
    }
    await sleep(500);
  }
}

/** Create the project's topics if missing (idempotent). Returns the names created. */
export async function ensureTopics(brokers = kafkaBrokers(), topics = TOPICS, numPartitions = KAFKA_PARTITIONS) {
  const admin = kafkaClient(brokers, { timeoutMs: 30_000, retries: 5 }).admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t));
    if (missing.length) {
      await admin.createTopics({
        topics: missing.map((topic) => ({ topic, numPartitions, replicationFactor: 1 })),
        waitForLeaders: true,
        timeout: 30_000,
      });
    }
    if (!existing.has('__consumer_offsets')) {
      // FindCoordinator creates __consumer_offsets now, so the first consumer group in a test joins
      // at once instead of logging "The group coordinator is not available" while it is created.
      await admin.describeGroups(['infra-warmup']).catch(() => {});
    }
    const present = topics.filter((t) => existing.has(t));
    if (present.length) {
      const { topics: meta } = await admin.fetchTopicMetadata({ topics: present });
      for (const t of meta) {
        if (t.partitions.length < numPartitions) {
          log('kafka', `warning: topic ${t.name} has ${t.partitions.length} partitions (< ${numPartitions}); not changed`);
        }
      }
    }
    return missing;
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

async function dockerEngineAvailable() {
  if (!which('docker')) return false;
  const { code } = await run('docker', ['info'], { timeoutMs: 10_000 });
  return code === 0;
}

function javaBinary() {
  const home = process.env.JAVA_HOME;
  if (home) {
    const candidate = join(home, 'bin', 'java');
    if (existsSync(candidate)) return candidate;
  }
  return which('java');
}

/** Resolve the broker jars with Maven into .infra/kafka-libs/<version>/ (skipped when cached). */
async function ensureKafkaLibs() {
  const marker = join(paths.kafkaLibs, '.complete');
  const key = JSON.stringify({ KAFKA_VERSION, SCALA_BINARY_VERSION, RELOAD4J_VERSION, SLF4J_VERSION, pom: readFileSync(paths.kafkaPom, 'utf8') });
  if (existsSync(marker) && readFileSync(marker, 'utf8') === key) return false;

  const mvn = which('mvn');
  if (!mvn) {
    throw new InfraError(
      `Kafka ${KAFKA_VERSION} jars are not cached in ${rel(paths.kafkaLibs)} and "mvn" is not on PATH: ` +
        'install Maven (apt-get install maven) or Docker, or start a broker yourself and set KAFKA_BROKERS',
    );
  }
  log('kafka', `resolving Kafka ${KAFKA_VERSION} jars from Maven Central into ${rel(paths.kafkaLibs)} (first run only)...`);
  const t0 = Date.now();
  const tmp = `${paths.kafkaLibs}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  const result = await run(mvn, [
    '-q', '-B', '-Dstyle.color=never', '-f', paths.kafkaPom,
    'dependency:copy-dependencies', '-DincludeScope=runtime', `-DoutputDirectory=${tmp}`,
    `-Dkafka.version=${KAFKA_VERSION}`, `-Dscala.binary.version=${SCALA_BINARY_VERSION}`,
    `-Dreload4j.version=${RELOAD4J_VERSION}`, `-Dslf4j.version=${SLF4J_VERSION}`,
  ], { cwd: REPO_ROOT, timeoutMs: 15 * 60_000 });
  const jars = existsSync(tmp) ? readdirSync(tmp).filter((f) => f.endsWith('.jar')) : [];
  if (result.code !== 0 || !jars.some((j) => j.startsWith(`kafka_${SCALA_BINARY_VERSION}-`))) {
    rmSync(tmp, { recursive: true, force: true });
    const output = `${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-20).join('\n');
    throw new InfraError(
      `Maven could not resolve org.apache.kafka:kafka_${SCALA_BINARY_VERSION}:${KAFKA_VERSION} (exit ${result.code}). ` +
        `Maven Central must be reachable (check proxies in ~/.m2/settings.xml).\n${output}`,
    );
  }
  writeFileSync(join(tmp, '.complete'), key);
  rmSync(paths.kafkaLibs, { recursive: true, force: true });
  mkdirSync(dirname(paths.kafkaLibs), { recursive: true });
  renameSync(tmp, paths.kafkaLibs);
  log('kafka', `resolved ${jars.length} jars in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  return true;
}

function writeKafkaConfig() {
  mkdirSync(paths.kafkaData, { recursive: true });
  mkdirSync(paths.kafkaLogs, { recursive: true });
  const header = '# Generated by tools/infra/infra.mjs on every `infra up` - edit tools/infra/config.mjs instead.\n';
  writeFileSync(paths.kafkaProps, header + [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${KAFKA_CONTROLLER_PORT}`,
    `listeners=PLAINTEXT://127.0.0.1:${KAFKA_PORT},CONTROLLER://127.0.0.1:${KAFKA_CONTROLLER_PORT}`,
    `advertised.listeners=PLAINTEXT://${KAFKA_HOST}:${KAFKA_PORT}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=PLAINTEXT',
    'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    `log.dirs=${paths.kafkaData}`,
    `num.partitions=${KAFKA_PARTITIONS}`,
    'default.replication.factor=1',
    'min.insync.replicas=1',
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=10',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'transaction.state.log.num.partitions=10',
    'group.initial.rebalance.delay.ms=0',
    'auto.create.topics.enable=true',
    'delete.topic.enable=true',
    // small machine: fewer threads, smaller log-cleaner buffer (default 128 MB of heap)
    'num.network.threads=2',
    'num.io.threads=4',
    'num.recovery.threads.per.data.dir=1',
    'log.cleaner.dedupe.buffer.size=33554432',
    'log.retention.hours=72',
    '',
  ].join('\n'));
  writeFileSync(paths.kafkaLog4j, header + [
    'log4j.rootLogger=WARN, file',
    'log4j.appender.file=org.apache.log4j.RollingFileAppender',
    `log4j.appender.file.File=${join(paths.kafkaLogs, 'server.log')}`,
    'log4j.appender.file.MaxFileSize=10MB',
    'log4j.appender.file.MaxBackupIndex=2',
    'log4j.appender.file.layout=org.apache.log4j.PatternLayout',
    'log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n',
    // keep the start/stop lines ("Kafka Server started", shutdown) for diagnostics
    'log4j.logger.kafka.server.KafkaRaftServer=INFO',
    'log4j.logger.kafka.server.BrokerServer=INFO',
    '',
  ].join('\n'));
}

/** KRaft cluster id: 16 random bytes, base64url without padding (what `StorageTool random-uuid` prints). */
export function randomClusterId() {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-') && !/^A+$/.test(id)) return id; // Kafka avoids ids starting with '-' and the zero uuid
  }
}

/**
 * AppCDS: the first broker run dumps its loaded classes into an archive when it exits (on `down`);
 * later starts map it, which makes the JVM start noticeably faster on a small machine. The archive is
 * keyed by the java binary and lives next to the jars, so a new JDK or new jars get a new archive.
 * A stale or foreign archive is harmless (the JVM warns and runs without it). KAFKA_CDS=0 disables.
 */
function cdsArgs(java) {
  if (process.env.KAFKA_CDS === '0') return [];
  const real = realpathSync(java);
  const st = statSync(real);
  const tag = createHash('sha1').update(`${real}:${st.size}:${st.mtimeMs}`).digest('hex').slice(0, 10);
  const archive = join(paths.kafkaLibs, `.cds-${tag}.jsa`);
  const pending = `${archive}.tmp`; // written by the JVM at exit; promoted here once that JVM is gone
  if (!existsSync(archive) && existsSync(pending) && statSync(pending).size > 0) renameSync(pending, archive);
  return [
    '-XX:+IgnoreUnrecognizedVMOptions', '-Xlog:cds=off', '-Xlog:cds+dynamic=off',
    existsSync(archive) ? `-XX:SharedArchiveFile=${archive}` : `-XX:ArchiveClassesAtExit=${pending}`,
  ];
}

function javaArgs(mainClass, ...args) {
  return [
    ...KAFKA_HEAP_OPTS, '-XX:+UseSerialGC', '-XX:+ExitOnOutOfMemoryError', '-Djava.awt.headless=true',
    `-Dlog4j.configuration=file:${paths.kafkaLog4j}`, `-Dkafka.logs.dir=${paths.kafkaLogs}`,
    '-cp', join(paths.kafkaLibs, '*'), mainClass, ...args,
  ];
}

async function formatKafkaStorage(java) {
  if (existsSync(join(paths.kafkaData, 'meta.properties'))) return null;
  const clusterId = randomClusterId();
  const result = await run(java, [
    '-Xmx256m', '-XX:+UseSerialGC', `-Dlog4j.configuration=file:${paths.kafkaLog4j}`, '-cp', join(paths.kafkaLibs, '*'),
    'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', paths.kafkaProps, '--ignore-formatted',
  ], { cwd: paths.kafkaDir, timeoutMs: 120_000 });
  if (result.code !== 0) {
    throw new InfraError(`formatting Kafka storage in ${rel(paths.kafkaData)} failed (exit ${result.code}):\n${result.stdout}${result.stderr}`);
  }
  return clusterId;
}

async function startKafkaJava(state, java) {
  await ensureKafkaLibs();
  writeKafkaConfig();
  const clusterId = await formatKafkaStorage(java);
  if (clusterId) log('kafka', `formatted storage ${rel(paths.kafkaData)} (cluster id ${clusterId})`);

  const out = openSync(join(paths.kafkaLogs, 'kafka.out'), 'a');
  const child = spawn(java, [...cdsArgs(java), ...javaArgs('kafka.Kafka', paths.kafkaProps)], {
    cwd: paths.kafkaDir, detached: true, stdio: ['ignore', out, out],
  });
  closeSync(out);
  child.on('error', () => {});
  child.unref();
  if (!child.pid) throw new InfraError(`could not start ${java}`);
  writeFileSync(paths.kafkaPid, `${child.pid}\n`);
  state.kafka = { mode: 'java', pid: child.pid, brokers: `${KAFKA_HOST}:${KAFKA_PORT}`, version: KAFKA_VERSION, startedAt: new Date().toISOString() };
  saveStarted(state);
  log('kafka', `started Kafka ${KAFKA_VERSION} (java pid ${child.pid}, logs in ${rel(paths.kafkaLogs)}/)`);
  return child.pid;
}

async function kafkaUp(state) {
  let brokers = kafkaBrokers();
  let cluster = await probeKafka(brokers, 2000);
  if (cluster) {
    const ours = state.kafka && (state.kafka.mode === 'docker' || isOurProcess(state.kafka.pid, 'kafka.Kafka'));
    log('kafka', `broker already running at ${brokers.join(',')}${ours ? ` (started by this project, ${state.kafka.mode})` : ''}`);
  } else {
    const ownPid = readPid(paths.kafkaPid);
    if (ownPid && isOurProcess(ownPid, 'kafka.Kafka')) {
      // a broker we started earlier is still booting (or hung): wait for it rather than start a second one
      log('kafka', `broker started by this project (pid ${ownPid}) is not answering yet, waiting...`);
      brokers = kafkaBrokers(`${KAFKA_HOST}:${KAFKA_PORT}`);
      cluster = await waitForKafka(brokers, { pid: ownPid });
    } else if (await dockerEngineAvailable()) {
      log('kafka', 'no broker answering; Docker engine found: docker compose up -d kafka');
      const result = await run('docker', ['compose', 'up', '-d', 'kafka'], { cwd: REPO_ROOT, timeoutMs: 10 * 60_000 });
      if (result.code !== 0) {
        throw new InfraError(`"docker compose up -d kafka" failed (exit ${result.code}) - is there a docker-compose.yml with a "kafka" service at the repo root?\n${result.stderr.trim()}`);
      }
      state.kafka = { mode: 'docker', service: 'kafka', brokers: brokers.join(','), startedAt: new Date().toISOString() };
      saveStarted(state);
      cluster = await waitForKafka(brokers);
    } else {
      const java = javaBinary();
      if (!java) {
        throw new InfraError(
          `no Kafka broker on ${brokers.join(',')}, no Docker engine and no java on PATH: ` +
            'install a JDK 17+ (apt-get install openjdk-17-jre-headless) or Docker',
        );
      }
      if (await tcpOpen('127.0.0.1', KAFKA_PORT)) {
        throw new InfraError(`port ${KAFKA_PORT} is in use by something that is not a Kafka broker: free it or set KAFKA_PORT`);
      }
      if (await tcpOpen('127.0.0.1', KAFKA_CONTROLLER_PORT)) {
        throw new InfraError(`controller port ${KAFKA_CONTROLLER_PORT} is already in use: free it or set KAFKA_CONTROLLER_PORT`);
      }
      const pid = await startKafkaJava(state, java);
      brokers = kafkaBrokers(`${KAFKA_HOST}:${KAFKA_PORT}`);
      cluster = await waitForKafka(brokers, { pid });
    }
    log('kafka', `broker ready at ${brokers.join(',')} (cluster ${cluster.clusterId})`);
  }
  const created = await ensureTopics(brokers);
  log('kafka', created.length
    ? `created ${created.length} topic(s) with ${KAFKA_PARTITIONS} partitions: ${created.join(', ')}`
    : `all ${TOPICS.length} topics present`);
}

// ------------------------------------------------------------------------------------------ Postgres
const PG_DOWN_CODES = new Set(['ECONNREFUSED', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'ECONNRESET', 'EAI_AGAIN', 'ENETUNREACH', '57P03']);

/** { ok: true, version } when Postgres answers; { ok: false, down, error } otherwise. */
export async function probePostgres(url = DATABASE_URL) {
  const { Client } = dep('pg');
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  client.on('error', () => {});
  try {
    await client.connect();
    const { rows } = await client.query('SHOW server_version');
    return { ok: true, version: rows[0].server_version };
  } catch (error) {
    const down = PG_DOWN_CODES.has(error.code) || /timeout|terminated|ECONNREFUSED/i.test(error.message);
    return { ok: false, down, error };
  } finally {
    await client.end().catch(() => {});
  }
}

/** Create the project's databases if missing (idempotent). Returns the names created. */
export async function ensureDatabases(url = DATABASE_URL, names = DATABASES) {
  const { Client } = dep('pg');
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  client.on('error', () => {});
  await client.connect();
  try {
    const { rows } = await client.query('SELECT datname FROM pg_database WHERE datname = ANY($1::text[])', [names]);
    const existing = new Set(rows.map((r) => r.datname));
    const created = [];
    for (const name of names.filter((n) => !existing.has(n))) {
      try {
        await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
        created.push(name);
      } catch (err) {
        if (err.code !== '42P04' && err.code !== '23505') throw err; // created concurrently
      }
    }
    return created;
  } finally {
    await client.end().catch(() => {});
  }
}

function findPgBin() {
  const fromPath = which('pg_ctl');
  const dirs = [];
  if (fromPath) dirs.push(dirname(realpathSync(fromPath)));
  try {
    const versions = readdirSync('/usr/lib/postgresql').filter((v) => /^\d+$/.test(v)).sort((a, b) => b - a);
    dirs.push(...versions.map((v) => `/usr/lib/postgresql/${v}/bin`));
  } catch { /* not Debian-style */ }
  return dirs.find((d) => existsSync(join(d, 'initdb')) && existsSync(join(d, 'pg_ctl'))) ?? null;
}

function localPostgresUrl() {
  const url = new URL(DATABASE_URL);
  url.port = String(PGPORT_LOCAL);
  return url.toString();
}

async function startLocalPostgres(state) {
  const url = new URL(DATABASE_URL);
  if (!isLocalHost(url.hostname)) {
    throw new InfraError(`no Postgres at ${url.host} (DATABASE_URL) and it is not a local address: start it or set DATABASE_URL`);
  }
  const bin = findPgBin();
  if (!bin) {
    throw new InfraError(`no Postgres at ${url.host}: install postgresql (apt-get install postgresql) or set DATABASE_URL`);
  }
  if (await tcpOpen('127.0.0.1', PGPORT_LOCAL)) {
    throw new InfraError(`port ${PGPORT_LOCAL} is in use but Postgres does not answer there: free it, or set PGPORT_LOCAL and DATABASE_URL`);
  }
  const superuser = decodeURIComponent(url.username || 'postgres');
  mkdirSync(paths.pgRun, { recursive: true });

  // initdb/postgres refuse to run as root: run them as the "postgres" OS user and hand it the directory.
  let asUser = [];
  if (process.getuid?.() === 0) {
    const runuser = which('runuser');
    if (!runuser || (await run('id', ['-u', 'postgres'])).code !== 0) {
      throw new InfraError('running as root but there is no "postgres" OS user (or no runuser) to run initdb/postgres as: run as a normal user, or install postgresql');
    }
    await run('chown', ['-R', 'postgres:', paths.pgDir]);
    if ((await run(runuser, ['-u', 'postgres', '--', 'test', '-w', paths.pgDir])).code !== 0) {
      throw new InfraError(`OS user "postgres" cannot write ${paths.pgDir} (a parent directory is not traversable): set INFRA_DIR to a path it can reach`);
    }
    asUser = [runuser, '-u', 'postgres', '--'];
  }
  const exec = (cmd, args, opts = {}) =>
    asUser.length ? run(asUser[0], [...asUser.slice(1), cmd, ...args], { cwd: paths.pgDir, ...opts }) : run(cmd, args, { cwd: paths.pgDir, ...opts });

  if (!existsSync(join(paths.pgData, 'PG_VERSION'))) {
    log('postgres', `no Postgres at ${url.host}: initdb a project-local cluster in ${rel(paths.pgData)}`);
    const r = await exec(join(bin, 'initdb'), ['-D', paths.pgData, '-U', superuser, '-A', 'trust', '-E', 'UTF8', '--no-sync'], { timeoutMs: 180_000 });
    if (r.code !== 0) throw new InfraError(`initdb failed (exit ${r.code}):\n${r.stdout}${r.stderr}`);
  }
  const opts = `-p ${PGPORT_LOCAL} -c listen_addresses=127.0.0.1 -k ${paths.pgRun} -c fsync=off`;
  const r = await exec(join(bin, 'pg_ctl'), ['-D', paths.pgData, '-l', paths.pgLog, '-o', opts, '-w', '-t', '60', 'start'], { timeoutMs: 90_000 });
  if (r.code !== 0) throw new InfraError(`pg_ctl start failed (exit ${r.code}):\n${r.stdout}${r.stderr}\n${tail(paths.pgLog)}`);
  const pid = readPid(join(paths.pgData, 'postmaster.pid'));
  state.postgres = { mode: 'local', pid, port: PGPORT_LOCAL, url: localPostgresUrl(), dataDir: rel(paths.pgData), startedAt: new Date().toISOString() };
  saveStarted(state);
  log('postgres', `started project-local Postgres on 127.0.0.1:${PGPORT_LOCAL} (pid ${pid}, log ${rel(paths.pgLog)})`);
  if (PGPORT_LOCAL !== (Number(url.port) || 5432)) log('postgres', `note: export DATABASE_URL=${localPostgresUrl()}`);
  return localPostgresUrl();
}

async function postgresUp(state) {
  let url = DATABASE_URL;
  let probe = await probePostgres(url);
  if (!probe.ok && state.postgres && isOurProcess(state.postgres.pid, 'postgres')) {
    url = state.postgres.url;
    probe = await probePostgres(url);
  }
  if (probe.ok) {
    const ours = state.postgres && isOurProcess(state.postgres.pid, 'postgres');
    log('postgres', `running at ${new URL(url).host} (PostgreSQL ${probe.version}${ours ? ', started by this project' : ''})`);
  } else if (!probe.down) {
    throw new InfraError(`Postgres at ${new URL(url).host} answered but refused the connection: ${probe.error.message} (check DATABASE_URL)`);
  } else {
    url = await startLocalPostgres(state);
  }
  const created = await ensureDatabases(url);
  log('postgres', created.length ? `created database(s): ${created.join(', ')}` : `all ${DATABASES.length} databases present`);
}

// ------------------------------------------------------------------------------------------ Redis
/** { ok: true, version } when Redis answers PING; { ok: false, down, error } otherwise. */
export async function probeRedis(url = REDIS_URL) {
  const Redis = dep('ioredis');
  const client = new Redis(url, {
    lazyConnect: true, connectTimeout: 1500, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.ping();
    const info = await client.info('server').catch(() => '');
    return { ok: true, version: /redis_version:(\S+)/.exec(info)?.[1] ?? '?' };
  } catch (error) {
    const down = !/NOAUTH|WRONGPASS|ERR/.test(error.message);
    return { ok: false, down, error };
  } finally {
    client.disconnect();
  }
}

async function redisUp(state) {
  const probe = await probeRedis();
  const url = new URL(REDIS_URL);
  if (probe.ok) {
    const ours = state.redis && isOurProcess(state.redis.pid, 'redis-server');
    log('redis', `running at ${url.host} (Redis ${probe.version}${ours ? ', started by this project' : ''})`);
    return;
  }
  if (!probe.down) throw new InfraError(`Redis at ${url.host} answered but refused: ${probe.error.message} (check REDIS_URL)`);
  if (!isLocalHost(url.hostname)) throw new InfraError(`no Redis at ${url.host} (REDIS_URL) and it is not a local address: start it or set REDIS_URL`);
  const server = which('redis-server');
  if (!server) throw new InfraError(`no Redis at ${url.host}: install redis (apt-get install redis-server) or set REDIS_URL`);
  const port = Number(url.port) || 6379;
  if (await tcpOpen('127.0.0.1', port)) throw new InfraError(`port ${port} is in use but Redis does not answer PING there: free it or set REDIS_URL`);

  mkdirSync(paths.redisDir, { recursive: true });
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--dir', paths.redisDir];
  if (url.password) args.push('--requirepass', decodeURIComponent(url.password));
  const out = openSync(paths.redisLog, 'a');
  const child = spawn(server, args, { cwd: paths.redisDir, detached: true, stdio: ['ignore', out, out] });
  closeSync(out);
  child.on('error', () => {});
  child.unref();
  writeFileSync(paths.redisPid, `${child.pid}\n`);
  state.redis = { mode: 'local', pid: child.pid, port, startedAt: new Date().toISOString() };
  saveStarted(state);
  const deadline = Date.now() + 15_000;
  for (;;) {
    const p = await probeRedis();
    if (p.ok) {
      log('redis', `started project-local Redis ${p.version} on 127.0.0.1:${port} (pid ${child.pid})`);
      return;
    }
    if (!isAlive(child.pid) || Date.now() > deadline) {
      throw new InfraError(`redis-server (pid ${child.pid}) did not come up on port ${port}:\n${tail(paths.redisLog)}`);
    }
    await sleep(200);
  }
}

// ------------------------------------------------------------------------------------------ commands
export async function up() {
  const t0 = Date.now();
  await withLock(async () => {
    const state = readStarted();
    const results = await Promise.allSettled([kafkaUp(state), postgresUp(state), redisUp(state)]);
    const failures = results.map((r, i) => [['kafka', 'postgres', 'redis'][i], r]).filter(([, r]) => r.status === 'rejected');
    for (const [component, r] of failures) {
      const e = r.reason;
      log(component, `FAILED: ${e instanceof InfraError ? e.message : e?.stack || e}`);
    }
    if (failures.length) {
      throw new InfraError(`infra up failed after ${((Date.now() - t0) / 1000).toFixed(1)}s (${failures.map(([c]) => c).join(', ')})`);
    }
  });
  console.log(`infra up in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
}

export async function status() {
  const state = readStarted();
  const kafkaOwnPid = state.kafka?.mode === 'java' ? state.kafka.pid : readPid(paths.kafkaPid);
  const [kafka, pg, pgLocal, redis] = await Promise.all([
    probeKafka(kafkaBrokers(), 2000),
    probePostgres(DATABASE_URL),
    state.postgres?.url && state.postgres.url !== DATABASE_URL ? probePostgres(state.postgres.url) : null,
    probeRedis(REDIS_URL),
  ]);
  const by = (entry, alive) => (entry && alive ? `started by this project (${entry})` : 'not started by this project');

  const kafkaOurs = state.kafka?.mode === 'docker' ? 'docker compose service "kafka"'
    : isOurProcess(kafkaOwnPid, 'kafka.Kafka') ? `java pid ${kafkaOwnPid}` : null;
  log('kafka', kafka
    ? `running     ${KAFKA_BROKERS} (cluster ${kafka.clusterId}, ${kafka.brokers.length} broker) - ${by(kafkaOurs, true)}`
    : `not running ${KAFKA_BROKERS}${kafkaOurs ? ` - process started by this project is alive (${kafkaOurs}) but not answering` : ''}`);

  const pgOurs = state.postgres && isOurProcess(state.postgres.pid, 'postgres') ? `pid ${state.postgres.pid}, ${state.postgres.dataDir}` : null;
  const pgUp = pg.ok ? pg : pgLocal?.ok ? pgLocal : null;
  const pgWhere = pg.ok || !pgLocal?.ok ? new URL(DATABASE_URL).host : new URL(state.postgres.url).host;
  log('postgres', pgUp
    ? `running     ${pgWhere} (PostgreSQL ${pgUp.version}) - ${by(pgOurs, true)}`
    : `not running ${pgWhere}${pg.down ? '' : ` (${pg.error.message})`}`);

  const redisOurs = state.redis && isOurProcess(state.redis.pid, 'redis-server') ? `pid ${state.redis.pid}` : null;
  log('redis', redis.ok
    ? `running     ${new URL(REDIS_URL).host} (Redis ${redis.version}) - ${by(redisOurs, true)}`
    : `not running ${new URL(REDIS_URL).host}${redis.down ? '' : ` (${redis.error.message})`}`);
}

export async function down() {
  const t0 = Date.now();
  const state = readStarted();
  let stopped = 0;

  const kafkaPid = state.kafka?.mode === 'java' ? state.kafka.pid : readPid(paths.kafkaPid);
  if (state.kafka?.mode === 'docker') {
    const r = await run('docker', ['compose', 'stop', 'kafka'], { cwd: REPO_ROOT, timeoutMs: 120_000 });
    log('kafka', r.code === 0 ? 'docker compose stop kafka: done' : `docker compose stop kafka failed (exit ${r.code}): ${r.stderr.trim()}`);
    stopped++;
  } else if (kafkaPid && isOurProcess(kafkaPid, 'kafka.Kafka')) {
    log('kafka', `stopping broker (java pid ${kafkaPid})...`);
    log('kafka', await stopPid(kafkaPid));
    stopped++;
  }
  delete state.kafka;
  rmSync(paths.kafkaPid, { force: true });

  if (state.redis?.mode === 'local') {
    if (isOurProcess(state.redis.pid, 'redis-server')) {
      log('redis', `${await stopPid(state.redis.pid)} (pid ${state.redis.pid})`);
      stopped++;
    }
    delete state.redis;
    rmSync(paths.redisPid, { force: true });
  }

  if (state.postgres?.mode === 'local') {
    if (isOurProcess(state.postgres.pid, 'postgres')) {
      // SIGINT = "fast" shutdown; SIGTERM ("smart") would wait for every client session to end
      log('postgres', `${await stopPid(state.postgres.pid, { signal: 'SIGINT' })} (pid ${state.postgres.pid})`);
      stopped++;
    }
    delete state.postgres;
  }

  if (Object.keys(state).length) saveStarted(state);
  else if (existsSync(paths.started)) unlinkSync(paths.started);
  console.log(stopped
    ? `infra down in ${((Date.now() - t0) / 1000).toFixed(1)}s (machine-wide services left alone)`
    : 'infra down: nothing started by this project is running');
}

/** Stops only the broker (one this project started): for fault-injection tests. */
export async function kafkaStop() {
  const state = readStarted();
  const kafkaPid = state.kafka?.mode === 'java' ? state.kafka.pid : readPid(paths.kafkaPid);
  if (state.kafka?.mode === 'docker') {
    const r = await run('docker', ['compose', 'stop', 'kafka'], { cwd: REPO_ROOT, timeoutMs: 120_000 });
    if (r.code !== 0) throw new InfraError(`docker compose stop kafka failed (exit ${r.code}): ${r.stderr.trim()}`);
  } else if (kafkaPid && isOurProcess(kafkaPid, 'kafka.Kafka')) {
    log('kafka', await stopPid(kafkaPid));
  } else {
    throw new InfraError('no broker started by this project is running: kafka-stop only stops what infra up started');
  }
  delete state.kafka;
  rmSync(paths.kafkaPid, { force: true });
  saveStarted(state);
}

/** Starts (or waits for) the broker alone. */
export async function kafkaStart() {
  await withLock(async () => kafkaUp(readStarted()));
}

/** Creates the project's topics on KAFKA_BROKERS (the docker-compose stack's init step). */
export async function topics() {
  const created = await ensureTopics();
  log('kafka', created.length ? `created ${created.join(', ')}` : 'all topics present');
}

async function main(argv) {
  const commands = { up, down, status, topics, 'kafka-stop': kafkaStop, 'kafka-start': kafkaStart };
  const command = commands[argv[0]];
  if (!command) {
    console.error('usage: node tools/infra/infra.mjs <up|down|status|topics|kafka-stop|kafka-start>');
    return 2;
  }
  try {
    await command();
    return 0;
  } catch (err) {
    console.error(err instanceof InfraError ? `[infra] ${err.message}` : err);
    return 1;
  }
}

const invokedDirectly = (() => {
  try {
    return !!process.argv[1] && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
})();
if (invokedDirectly) process.exit(await main(process.argv.slice(2)));
