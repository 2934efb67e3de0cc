// `infra up | status | down`: the three components together, and only what this project started is stopped.
import { rmSync } from 'node:fs';
import { ALL_TOPICS } from '@commerce/contracts';
import { kafkaUp, ownKafkaPids, probeKafka, stopOwnKafka } from './kafka-broker';
import { postgresUp, probePostgres } from './postgres';
import { errorMessage, InfraError, isOurProcess, log, readStarted, saveStarted, stopPid, withLock } from './processes';
import { probeRedis, redisPaths, redisUp } from './redis';
import { DATABASE_URL, KAFKA_BROKERS, KAFKA_PARTITIONS, kafkaBrokers, REDIS_URL } from './settings';
import { ensureTopics } from './topics';
import { stopOwnZipkin, zipkinStatus, zipkinUp } from './zipkin';

const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)}s`;

/** Starts what is missing (Kafka, Postgres, Redis, in parallel), then creates the topics and databases. */
export async function up(): Promise<void> {
  const t0 = Date.now();
  await withLock(async () => {
    const state = readStarted();
    const kafka = async () => {
      const brokers = await kafkaUp(state);
      const created = await ensureTopics({ brokers });
      log('kafka', created.length > 0 ? `created ${created.length} topic(s) with ${KAFKA_PARTITIONS} partitions: ${created.join(', ')}` : `all ${ALL_TOPICS.length} topics present`);
    };
    const results = await Promise.allSettled([kafka(), postgresUp(state), redisUp(state), zipkinUp(state)]);
    const failed = results.flatMap((r, i) => (r.status === 'rejected' ? [[['kafka', 'postgres', 'redis', 'zipkin'][i] as string, r.reason] as const] : []));
    for (const [component, reason] of failed) {
      log(component, `FAILED: ${reason instanceof InfraError ? reason.message : ((reason as Error)?.stack ?? String(reason))}`);
    }
    if (failed.length > 0) throw new InfraError(`infra up failed after ${seconds(t0)} (${failed.map(([c]) => c).join(', ')})`);
  });
  console.log(`infra up in ${seconds(t0)}`);
}

/** One line per component: where, running or not, started by this project or not. */
export async function status(): Promise<void> {
  const state = readStarted();
  const kafkaOwnPids = ownKafkaPids(state);
  const [kafka, pg, pgLocal, redis] = await Promise.all([
    probeKafka(kafkaBrokers(), 2000),
    probePostgres(DATABASE_URL),
    state.postgres?.url && state.postgres.url !== DATABASE_URL ? probePostgres(state.postgres.url) : null,
    probeRedis(REDIS_URL),
  ]);
  const by = (ours: string | null) => (ours ? `started by this project (${ours})` : 'not started by this project');

  const kafkaOurs = state.kafka?.mode === 'docker' ? 'docker compose service "kafka"' : kafkaOwnPids.length > 0 ? `java pid ${kafkaOwnPids.join(', ')}` : null;
  log('kafka', kafka
    ? `running     ${KAFKA_BROKERS} (cluster ${kafka.clusterId}, ${kafka.brokers.length} broker) - ${by(kafkaOurs)}`
    : `not running ${KAFKA_BROKERS}${kafkaOurs ? ` - process started by this project is alive (${kafkaOurs}) but not answering` : ''}`);

  const pgOurs = state.postgres && isOurProcess(state.postgres.pid, 'postgres') ? `pid ${state.postgres.pid}, ${String(state.postgres['dataDir'])}` : null;
  const pgUp = pg.ok ? pg : pgLocal?.ok ? pgLocal : null;
  const pgWhere = pg.ok || !pgLocal?.ok || !state.postgres?.url ? new URL(DATABASE_URL).host : new URL(state.postgres.url).host;
  log('postgres', pgUp
    ? `running     ${pgWhere} (PostgreSQL ${pgUp.version}) - ${by(pgOurs)}`
    : `not running ${pgWhere}${!pg.ok && !pg.down ? ` (${pg.error})` : ''}`);

  const redisOurs = state.redis && isOurProcess(state.redis.pid, 'redis-server') ? `pid ${state.redis.pid}` : null;
  log('redis', redis.ok
    ? `running     ${new URL(REDIS_URL).host} (Redis ${redis.version}) - ${by(redisOurs)}`
    : `not running ${new URL(REDIS_URL).host}${redis.down ? '' : ` (${redis.error})`}`);
  await zipkinStatus(state);
}

/** Stops only what `up` started (recorded in .infra/started.json); machine-wide services are left alone. */
export async function down(): Promise<void> {
  const t0 = Date.now();
  const state = readStarted();
  let stopped = 0;

  const kafka = await stopOwnKafka(state).catch((error: unknown) => `not stopped: ${errorMessage(error)}`);
  if (kafka !== null) {
    log('kafka', kafka);
    stopped++;
  }
  const zipkin = await stopOwnZipkin(state);
  if (zipkin !== null) {
    log('zipkin', zipkin);
    stopped++;
  }
  if (state.redis?.mode === 'local') {
    if (isOurProcess(state.redis.pid, 'redis-server')) {
      log('redis', `${await stopPid(state.redis.pid as number)} (pid ${state.redis.pid})`);
      stopped++;
    }
    delete state.redis;
    rmSync(redisPaths.pid, { force: true });
  }
  if (state.postgres?.mode === 'local') {
    if (isOurProcess(state.postgres.pid, 'postgres')) {
      // SIGINT = "fast" shutdown; SIGTERM ("smart") would wait for every client session to end
      log('postgres', `${await stopPid(state.postgres.pid as number, { signal: 'SIGINT' })} (pid ${state.postgres.pid})`);
      stopped++;
    }
    delete state.postgres;
  }
  saveStarted(state);
  console.log(stopped > 0 ? `infra down in ${seconds(t0)} (machine-wide services left alone)` : 'infra down: nothing started by this project is running');
}
