// The Kafka broker the project uses: one that answers already, else Docker (`docker compose up -d
// kafka`), else a JVM of its own (kafka-jvm.ts). Also what fault-injection tests use to stop and
// start that broker.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { InfraError, isAlive, isOurProcess, log, readPid, readStarted, rel, run, saveStarted, sleep, type StartedState, stopPid, tail, tcpOpen, which, withLock } from './processes';
import { javaBinary, kafkaPaths, spawnKafkaJvm } from './kafka-jvm';
import { ensureSaslUser } from './kafka-sasl-ssl';
import { KAFKA_CONTROLLER_PORT, KAFKA_HOST, KAFKA_PORT, KAFKA_VERSION, kafkaBrokers, REPO_ROOT } from './settings';
import { provisioningKafka } from './topics';

const KAFKA_READY_TIMEOUT_MS = 90_000;
/** The marker in the command line of a broker JVM (to tell it from a recycled pid). */
export const KAFKA_MAIN_CLASS = 'kafka.Kafka';

export interface KafkaCluster {
  clusterId: string;
  brokers: unknown[];
}

/** The cluster's description when a broker answers, otherwise null. */
export async function probeKafka(brokers: readonly string[] = kafkaBrokers(), timeoutMs = 3000): Promise<KafkaCluster | null> {
  const admin = provisioningKafka(brokers, { timeoutMs }).admin();
  let timer: NodeJS.Timeout | undefined;
  try {
    const attempt = (async () => {
      await admin.connect();
      return admin.describeCluster();
    })();
    attempt.catch(() => undefined); // settled by the race below; a late rejection must not go unhandled
    const timeout = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), timeoutMs + 500)));
    return await Promise.race([attempt, timeout]);
  } catch {
    return null; // no broker answering is the answer
  } finally {
    clearTimeout(timer);
    await admin.disconnect().catch(() => undefined);
  }
}

/** Polls until a broker answers; fails early if the process we started dies. */
async function waitForKafka(brokers: string[], pid: number | null = null): Promise<KafkaCluster> {
  const start = Date.now();
  let nextReport = 5000;
  for (;;) {
    const cluster = await probeKafka(brokers, 2000);
    if (cluster) return cluster;
    const elapsed = Date.now() - start;
    if (pid && !isAlive(pid)) {
      throw new InfraError(
        `the Kafka broker (pid ${pid}) exited during start-up. Last lines of its logs:\n` +
          `--- ${rel(path.join(kafkaPaths.logs, 'kafka.out'))}\n${tail(path.join(kafkaPaths.logs, 'kafka.out'))}\n` +
          `--- ${rel(path.join(kafkaPaths.logs, 'server.log'))}\n${tail(path.join(kafkaPaths.logs, 'server.log'))}`,
      );
    }
    if (elapsed > KAFKA_READY_TIMEOUT_MS) {
      throw new InfraError(`no Kafka broker answered on ${brokers.join(',')} within ${KAFKA_READY_TIMEOUT_MS / 1000}s${pid ? `; see ${rel(kafkaPaths.logs)}/` : ''}`);
    }
    if (elapsed >= nextReport) {
      log('kafka', `waiting for broker at ${brokers.join(',')} (${Math.round(elapsed / 1000)}s)...`);
      nextReport += 5000;
    }
    await sleep(500);
  }
}

/** The image docker-compose.yml runs the broker from (the compose file's tag; a test checks they agree). */
const KAFKA_IMAGE = `apache/kafka:${KAFKA_VERSION}`;

/**
 * Whether Docker can give us the broker (INFRA_DOCKER): '1' asks for it, '0' never uses it; unset,
 * an engine must answer AND already hold the Kafka image. An engine alone is not enough: a daemon
 * with no images behind it (the compose test's, or one with no registry) must not turn
 * `npm start`/`npm test` onto a Docker path that cannot start.
 */
async function dockerEngineAvailable(): Promise<boolean> {
  const wanted = process.env['INFRA_DOCKER'];
  if (wanted === '0') return false;
  const answers = which('docker') !== null && (await run('docker', ['info'], { timeoutMs: 10_000 })).code === 0;
  if (wanted === '1') {
    if (!answers) throw new InfraError('INFRA_DOCKER=1 but no Docker engine answers ("docker info" failed): start one, or unset INFRA_DOCKER');
    return true;
  }
  return answers && (await run('docker', ['image', 'inspect', KAFKA_IMAGE], { timeoutMs: 10_000 })).code === 0;
}

/** The pid of the broker JVM this project started, when there is one. */
export function ownKafkaPid(state: StartedState): number | null {
  return state.kafka?.mode === 'java' ? (state.kafka.pid ?? null) : readPid(kafkaPaths.pid);
}

/** Uses the broker that answers, else starts one (Docker, else the JVM); records what it started in `state`. */
export async function kafkaUp(state: StartedState): Promise<string[]> {
  let brokers = kafkaBrokers();
  let cluster = await probeKafka(brokers, 2000);
  if (cluster) {
    const ours = state.kafka && (state.kafka.mode === 'docker' || isOurProcess(state.kafka.pid, KAFKA_MAIN_CLASS));
    log('kafka', `broker already running at ${brokers.join(',')}${ours ? ` (started by this project, ${state.kafka?.mode})` : ''}`);
    const java = ours && state.kafka?.mode === 'java' ? javaBinary() : null;
    if (java) await ensureSaslUser(java, kafkaPaths.libs, cluster.clusterId);
    return brokers;
  }
  const ownPid = readPid(kafkaPaths.pid);
  if (ownPid && isOurProcess(ownPid, KAFKA_MAIN_CLASS)) {
    // a broker we started earlier is still booting (or hung): wait for it rather than start a second one
    log('kafka', `broker started by this project (pid ${ownPid}) is not answering yet, waiting...`);
    brokers = kafkaBrokers(`${KAFKA_HOST}:${KAFKA_PORT}`);
    cluster = await waitForKafka(brokers, ownPid);
  } else if (await dockerEngineAvailable()) {
    log('kafka', `no broker answering; Docker engine with ${KAFKA_IMAGE} found: docker compose up -d kafka`);
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
      throw new InfraError(`no Kafka broker on ${brokers.join(',')}, no Docker engine and no java on PATH: install a JDK 17+ (apt-get install openjdk-17-jre-headless) or Docker`);
    }
    if (await tcpOpen('127.0.0.1', KAFKA_PORT)) {
      throw new InfraError(`port ${KAFKA_PORT} is in use by something that is not a Kafka broker: free it or set KAFKA_PORT`);
    }
    if (await tcpOpen('127.0.0.1', KAFKA_CONTROLLER_PORT)) {
      throw new InfraError(`controller port ${KAFKA_CONTROLLER_PORT} is already in use: free it or set KAFKA_CONTROLLER_PORT`);
    }
    const pid = await spawnKafkaJvm(java);
    state.kafka = { mode: 'java', pid, brokers: `${KAFKA_HOST}:${KAFKA_PORT}`, version: KAFKA_VERSION, startedAt: new Date().toISOString() };
    saveStarted(state);
    brokers = kafkaBrokers(`${KAFKA_HOST}:${KAFKA_PORT}`);
    cluster = await waitForKafka(brokers, pid);
  }
  log('kafka', `broker ready at ${brokers.join(',')} (cluster ${cluster.clusterId})`);
  const java = state.kafka?.mode === 'java' ? javaBinary() : null;
  if (java) await ensureSaslUser(java, kafkaPaths.libs, cluster.clusterId);
  return brokers;
}

/**
 * Stops the broker this project started (its JVM, or its Docker service) and forgets it. Returns
 * what was done, or null when there was nothing of ours to stop.
 */
export async function stopOwnKafka(state: StartedState): Promise<string | null> {
  const pid = ownKafkaPid(state);
  let outcome: string | null = null;
  if (state.kafka?.mode === 'docker') {
    const r = await run('docker', ['compose', 'stop', 'kafka'], { cwd: REPO_ROOT, timeoutMs: 120_000 });
    if (r.code !== 0) throw new InfraError(`docker compose stop kafka failed (exit ${r.code}): ${r.stderr.trim()}`);
    outcome = 'docker compose stop kafka: done';
  } else if (pid && isOurProcess(pid, KAFKA_MAIN_CLASS)) {
    log('kafka', `stopping broker (java pid ${pid})...`);
    outcome = await stopPid(pid);
  }
  delete state.kafka;
  rmSync(kafkaPaths.pid, { force: true });
  saveStarted(state);
  return outcome;
}

/** Stops only the broker, one this project started (fault-injection tests); refuses any other. */
export async function stopLocalBroker(): Promise<void> {
  const outcome = await stopOwnKafka(readStarted());
  if (outcome === null) throw new InfraError('no broker started by this project is running: only what infra up started is stopped');
  log('kafka', outcome);
}

/** Starts (or waits for) the broker alone, as `infra up` would. */
export async function startLocalBroker(): Promise<void> {
  await withLock(async () => {
    await kafkaUp(readStarted());
  });
}
