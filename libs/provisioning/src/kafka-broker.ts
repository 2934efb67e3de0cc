// The Kafka broker the project uses: one that answers already, else Docker (`docker compose up -d
// kafka`), else a JVM of its own (kafka-jvm.ts). Also what fault-injection tests use to stop and
// start that broker.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { InfraError, isAlive, isOurProcess, log, readPid, readStarted, rel, run, saveStarted, sleep, type StartedState, stopPid, tail, tcpOpen, which, withLock } from './processes';
import { javaBinary, kafkaNodePaths, kafkaPaths, spawnKafkaJvm, spawnKafkaNode } from './kafka-jvm';
import { ensureSaslUser } from './kafka-sasl-ssl';
import { KAFKA_HOST, KAFKA_NODE_IDS, KAFKA_NODES, KAFKA_VERSION, kafkaBrokers, kafkaNodePorts, REPO_ROOT } from './settings';
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

/** Polls until the brokers answer (every node of a local cluster); fails early if a process we started dies. */
async function waitForKafka(brokers: string[], pids: readonly number[] = [], nodes = 1): Promise<KafkaCluster> {
  const start = Date.now();
  let nextReport = 5000;
  for (;;) {
    const cluster = await probeKafka(brokers, 2000);
    if (cluster && cluster.brokers.length >= nodes) return cluster;
    const elapsed = Date.now() - start;
    const dead = pids.findIndex((pid) => !isAlive(pid));
    if (dead >= 0) {
      const logs = kafkaNodePaths(dead + 1).logs;
      throw new InfraError(
        `the Kafka broker (pid ${pids[dead]}) exited during start-up. Last lines of its logs:\n` +
          `--- ${rel(path.join(logs, 'kafka.out'))}\n${tail(path.join(logs, 'kafka.out'))}\n` +
          `--- ${rel(path.join(logs, 'server.log'))}\n${tail(path.join(logs, 'server.log'))}`,
      );
    }
    if (elapsed > KAFKA_READY_TIMEOUT_MS) {
      throw new InfraError(`no Kafka broker answered on ${brokers.join(',')} within ${KAFKA_READY_TIMEOUT_MS / 1000}s${pids.length > 0 ? `; see ${rel(kafkaPaths.logs)}/` : ''}`);
    }
    if (elapsed >= nextReport) {
      log('kafka', `waiting for broker at ${brokers.join(',')} (${Math.round(elapsed / 1000)}s)...`);
      nextReport += 5000;
    }
    await sleep(500);
  }
}

/** The SASL_SSL listener's SCRAM user, on a single broker this project runs on the JDK. */
async function ensureSaslUserOn(state: StartedState | null, clusterId: string): Promise<void> {
  const java = javaBinary();
  if (state && java && ownRecord(state)?.mode !== 'docker' && KAFKA_NODES === 1) await ensureSaslUser(java, kafkaPaths.libs, clusterId);
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

/** The local nodes' bootstrap addresses (`127.0.0.1:9092`, and the other nodes' of a cluster). */
const localBrokers = () => KAFKA_NODE_IDS.map((n) => `${KAFKA_HOST}:${kafkaNodePorts(n).port}`);

/** The record of what this project started, when it is the broker (or cluster) on these ports. */
function ownRecord(state: StartedState): StartedState['kafka'] {
  return state.kafka?.mode === 'docker' || state.kafka?.brokers === localBrokers().join(',') ? state.kafka : undefined;
}

/** The pids of the broker JVMs this project started on these ports (node 1 first); none when it started none. */
export function ownKafkaPids(state: StartedState): number[] {
  const record = ownRecord(state);
  const recorded = record?.mode === 'java' ? ((record['pids'] as number[] | undefined) ?? [record.pid]) : KAFKA_NODE_IDS.map((n) => readPid(kafkaNodePaths(n).pid));
  return recorded.filter((pid): pid is number => typeof pid === 'number' && isOurProcess(pid, KAFKA_MAIN_CLASS));
}

/** The pid of the (first) broker JVM this project started, when there is one. */
export function ownKafkaPid(state: StartedState): number | null {
  return ownKafkaPids(state)[0] ?? null;
}

/** Uses the broker that answers, else starts one (Docker, else the JVM); records what it started in `state`. */
export async function kafkaUp(state: StartedState): Promise<string[]> {
  let brokers = kafkaBrokers();
  let cluster = await probeKafka(brokers, 2000);
  if (cluster) {
    const ours = ownRecord(state)?.mode === 'docker' || ownKafkaPids(state).length > 0;
    log('kafka', `broker already running at ${brokers.join(',')}${ours ? ` (started by this project, ${ownRecord(state)?.mode ?? 'java'})` : ''}`);
    await ensureSaslUserOn(ours ? state : null, cluster.clusterId);
    return brokers;
  }
  const ownPids = ownKafkaPids(state);
  if (ownPids.length > 0) {
    // brokers we started earlier are still booting (or hung): wait for them rather than start more
    log('kafka', `broker started by this project (pid ${ownPids.join(', ')}) is not answering yet, waiting...`);
    brokers = localBrokers();
    cluster = await waitForKafka(brokers, ownPids, KAFKA_NODES);
  } else if (KAFKA_NODES === 1 && (await dockerEngineAvailable())) {
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
    for (const { port, controllerPort } of KAFKA_NODE_IDS.map(kafkaNodePorts)) {
      if (await tcpOpen('127.0.0.1', port)) {
        throw new InfraError(`port ${port} is in use by something that is not a Kafka broker: free it or set KAFKA_PORT`);
      }
      if (await tcpOpen('127.0.0.1', controllerPort)) {
        throw new InfraError(`controller port ${controllerPort} is already in use: free it or set KAFKA_CONTROLLER_PORT`);
      }
    }
    const pids = await spawnKafkaJvm(java);
    brokers = localBrokers();
    state.kafka = { mode: 'java', pid: pids[0], pids, brokers: brokers.join(','), version: KAFKA_VERSION, startedAt: new Date().toISOString() };
    saveStarted(state);
    cluster = await waitForKafka(brokers, pids, KAFKA_NODES);
  }
  log('kafka', `${KAFKA_NODES > 1 ? `cluster of ${KAFKA_NODES} brokers` : 'broker'} ready at ${brokers.join(',')} (cluster ${cluster.clusterId})`);
  await ensureSaslUserOn(state, cluster.clusterId);
  return brokers;
}

/**
 * Stops the broker this project started (its JVM, or its Docker service) and forgets it. Returns
 * what was done, or null when there was nothing of ours to stop.
 */
export async function stopOwnKafka(state: StartedState): Promise<string | null> {
  const pids = ownKafkaPids(state);
  let outcome: string | null = null;
  if (ownRecord(state)?.mode === 'docker') {
    const r = await run('docker', ['compose', 'stop', 'kafka'], { cwd: REPO_ROOT, timeoutMs: 120_000 });
    if (r.code !== 0) throw new InfraError(`docker compose stop kafka failed (exit ${r.code}): ${r.stderr.trim()}`);
    outcome = 'docker compose stop kafka: done';
  } else if (pids.length > 0) {
    log('kafka', `stopping broker (java pid ${pids.join(', ')})...`);
    outcome = (await Promise.all(pids.map((pid) => stopPid(pid)))).join('; ');
  }
  if (ownRecord(state)) delete state.kafka; // a record of another port's broker stays
  for (const node of KAFKA_NODE_IDS) rmSync(kafkaNodePaths(node).pid, { force: true });
  saveStarted(state);
  return outcome;
}

/**
 * Stops one node of the local cluster (SIGKILL, as a crash; the soak's broker fault); refuses a
 * process this project did not start.
 */
export async function killKafkaNode(node: number): Promise<number> {
  const pid = readPid(kafkaNodePaths(node).pid);
  if (!pid || !isOurProcess(pid, KAFKA_MAIN_CLASS)) throw new InfraError(`no Kafka node ${node} started by this project is running`);
  process.kill(pid, 'SIGKILL');
  return pid;
}

/** Starts one node of the local cluster again (after killKafkaNode), and waits until every node answers. */
export async function startKafkaNode(node: number): Promise<number> {
  const java = javaBinary();
  if (!java) throw new InfraError('no java on PATH');
  const pid = await spawnKafkaNode(java, node);
  const state = readStarted();
  const record = ownRecord(state);
  if (record?.mode === 'java') {
    const pids = [...((record['pids'] as number[] | undefined) ?? [record.pid as number])];
    pids[node - 1] = pid;
    state.kafka = { ...record, pid: pids[0], pids };
    saveStarted(state);
  }
  await waitForKafka(localBrokers(), [], KAFKA_NODES);
  return pid;
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
