// Single source of truth for local infrastructure settings (Kafka, Postgres, Redis).
// Plain ESM, no side effects: safe to import from tests, scripts and tools/infra/infra.mjs.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const env = process.env;
const int = (value, fallback) => {
  const n = Number.parseInt(value ?? '', 10);
  return Number.isFinite(n) && n > 0 ? n : fallback;
};

// ---------------------------------------------------------------- paths
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Git-ignored state: pid files, Kafka data/logs, jar cache, local postgres/redis, started.json. */
export const INFRA_DIR = env.INFRA_DIR ? resolve(env.INFRA_DIR) : resolve(REPO_ROOT, '.infra');

// ---------------------------------------------------------------- Kafka
/** The ONLY place the Kafka version is pinned (docker-compose.yml image tag should match). */
export const KAFKA_VERSION = '3.9.2';
export const SCALA_BINARY_VERSION = '2.13';
/** Kafka's core declares reload4j compileOnly: the Maven jars alone have no log4j binding. */
export const RELOAD4J_VERSION = '1.2.25';
export const SLF4J_VERSION = '1.7.36';

export const KAFKA_HOST = env.KAFKA_HOST || '127.0.0.1';
export const KAFKA_PORT = int(env.KAFKA_PORT, 9092);
export const KAFKA_CONTROLLER_PORT = int(env.KAFKA_CONTROLLER_PORT, 9093);
/** Comma-separated bootstrap servers, e.g. "127.0.0.1:9092". */
export const KAFKA_BROKERS = env.KAFKA_BROKERS || `${KAFKA_HOST}:${KAFKA_PORT}`;
export const KAFKA_PARTITIONS = int(env.KAFKA_PARTITIONS, 6);
/** JVM heap for the locally started broker (2 cores shared with Postgres, Redis and the services). */
export const KAFKA_HEAP_OPTS = (env.KAFKA_HEAP_OPTS || '-Xms256m -Xmx512m').split(/\s+/).filter(Boolean);

/**
 * Topics created by `infra up` (if missing) with KAFKA_PARTITIONS partitions, replication factor 1.
 * A copy of ALL_TOPICS in libs/contracts (this file runs before anything is compiled);
 * libs/testing/test/infra-topics.spec.ts fails when the two differ.
 */
export const TOPICS = [
  'commerce.order.events',
  'commerce.inventory.events',
  'commerce.payment.events',
  'commerce.shipment.events',
  'commerce.notification.events',
  'commerce.reconciliation.commands',
  'commerce.dead-letter',
];

/** Bootstrap servers as an array, ready for `new Kafka({ brokers: kafkaBrokers() })`. */
export function kafkaBrokers(brokers = KAFKA_BROKERS) {
  return brokers.split(',').map((b) => b.trim()).filter(Boolean);
}

// ---------------------------------------------------------------- Postgres
export const DATABASE_URL = env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
/** Port for a project-local cluster started by `infra up` (default: the port of DATABASE_URL). */
export const PGPORT_LOCAL = int(env.PGPORT_LOCAL, Number(new URL(DATABASE_URL).port) || 5432);

/** Databases created by `infra up` if missing. */
export const DATABASES = [
  'order_service',
  'inventory_service',
  'payment_service',
  'shipment_service',
  'notification_service',
  'reconciliation_service',
  'commerce_test',
];

/** DATABASE_URL with its database name replaced: databaseUrlFor('order_service'). */
export function databaseUrlFor(name, base = DATABASE_URL) {
  const url = new URL(base);
  url.pathname = `/${encodeURIComponent(name)}`;
  return url.toString();
}

// ---------------------------------------------------------------- Redis
export const REDIS_URL = env.REDIS_URL || 'redis://127.0.0.1:6379';
