// The local infrastructure's settings (Kafka, Postgres, Redis), each read once from the environment.
// No side effects: safe to import from tests, the stack runner and the infra CLI.
import path from 'node:path';
import { brokerList } from '@commerce/platform';

const env = process.env;
const int = (value: string | undefined, fallback: number): number => {
  const n = Number.parseInt(value ?? '', 10);
  return Number.isFinite(n) && n > 0 ? n : fallback;
};

// ---------------------------------------------------------------- paths
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
/**
 * Git-ignored state: pid files, Kafka data/logs, jar cache, local postgres/redis, started.json (INFRA_DIR).
 * @defaultValue `<repo>/.infra`
 */
export const INFRA_DIR = env['INFRA_DIR'] ? path.resolve(env['INFRA_DIR']) : path.resolve(REPO_ROOT, '.infra');

// ---------------------------------------------------------------- Kafka
/** The ONLY place the Kafka version is pinned (the docker-compose.yml image tag must match; a test checks it). */
export const KAFKA_VERSION = '3.9.2';
export const SCALA_BINARY_VERSION = '2.13';
/** Kafka's core declares reload4j compileOnly: the Maven jars alone have no log4j binding. */
export const RELOAD4J_VERSION = '1.2.25';
export const SLF4J_VERSION = '1.7.36';

/** Host the local broker advertises (KAFKA_HOST). @defaultValue '127.0.0.1' */
export const KAFKA_HOST = env['KAFKA_HOST'] || '127.0.0.1';
/** Port of the local broker (KAFKA_PORT). @defaultValue 9092 */
export const KAFKA_PORT = int(env['KAFKA_PORT'], 9092);
/** Port of the local broker's KRaft controller (KAFKA_CONTROLLER_PORT). @defaultValue 9093 */
export const KAFKA_CONTROLLER_PORT = int(env['KAFKA_CONTROLLER_PORT'], 9093);
/**
 * Kafka nodes `infra up` starts on the JDK (KAFKA_NODES; `infra up --brokers 3`): 1, or 3 for a
 * replicated cluster (topics with replication factor 3 and min.insync.replicas 2). @defaultValue 1
 */
export const KAFKA_NODES = int(env['KAFKA_NODES'], 1);
/** Node n (1-based) of a local cluster listens on KAFKA_PORT + 2(n − 1), its controller on KAFKA_CONTROLLER_PORT + 2(n − 1). */
export function kafkaNodePorts(node: number): { port: number; controllerPort: number } {
  return { port: KAFKA_PORT + 2 * (node - 1), controllerPort: KAFKA_CONTROLLER_PORT + 2 * (node - 1) };
}
/** The local nodes' numbers, 1..KAFKA_NODES. */
export const KAFKA_NODE_IDS: readonly number[] = Array.from({ length: KAFKA_NODES }, (_, i) => i + 1);
/** Comma-separated bootstrap servers (KAFKA_BROKERS). @defaultValue every local node, `<KAFKA_HOST>:<KAFKA_PORT>`,... */
export const KAFKA_BROKERS = env['KAFKA_BROKERS'] || KAFKA_NODE_IDS.map((n) => `${KAFKA_HOST}:${kafkaNodePorts(n).port}`).join(',');
/**
 * Partitions of every topic, production's count, wherever topics are created: infra, the stack
 * runner, the tests' own topics (KAFKA_PARTITIONS). @defaultValue 6
 */
export const KAFKA_PARTITIONS = int(env['KAFKA_PARTITIONS'], 6);
/** JVM heap for the locally started broker (KAFKA_HEAP_OPTS). @defaultValue '-Xms256m -Xmx512m' */
export const KAFKA_HEAP_OPTS = (env['KAFKA_HEAP_OPTS'] || '-Xms256m -Xmx512m').split(/\s+/).filter(Boolean);

/** Bootstrap servers as an array, ready for `new Kafka({ brokers: kafkaBrokers() })`. */
export function kafkaBrokers(brokers: string = KAFKA_BROKERS): string[] {
  return brokerList(brokers);
}

// ---------------------------------------------------------------- Postgres
/** The server's URL; a database's name replaces its path (DATABASE_URL). @defaultValue 'postgres://postgres@127.0.0.1:5432/postgres' */
export const DATABASE_URL = env['DATABASE_URL'] || 'postgres://postgres@127.0.0.1:5432/postgres';
/** Port for a project-local cluster started by `infra up` (PGPORT_LOCAL). @defaultValue the port of DATABASE_URL */
export const PGPORT_LOCAL = int(env['PGPORT_LOCAL'], Number(new URL(DATABASE_URL).port) || 5432);

/** Databases created by `infra up` if missing. */
export const DATABASES: readonly string[] = [
  'order_service',
  'inventory_service',
  'payment_service',
  'shipment_service',
  'notification_service',
  'reconciliation_service',
  'commerce_test',
];

// ---------------------------------------------------------------- Redis
/** (REDIS_URL) @defaultValue 'redis://127.0.0.1:6379' */
export const REDIS_URL = env['REDIS_URL'] || 'redis://127.0.0.1:6379';
