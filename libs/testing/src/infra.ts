import { randomUUID } from 'node:crypto';
import path from 'node:path';
import Redis from 'ioredis';
import { Client } from 'pg';
import { brokerList, databaseUrlFor } from '@commerce/platform';
import { saslSslListener, startLocalBroker, stopLocalBroker } from '@commerce/provisioning';

/** A Postgres of the suite's own that asks for a password and TLS (see @commerce/provisioning). */
export { type SecurePostgres, type SecureRedis, startSecurePostgres, startSecureRedis } from '@commerce/provisioning';

export const repoRoot = path.resolve(__dirname, '../../..');

/** The broker `npm run infra:up` provisioned (KAFKA_BROKERS overrides). */
export function testBrokers(): string[] {
  return brokerList(process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092');
}

/**
 * The settings that take a service to the test broker's SASL_SSL listener (what `infra up`
 * provisions beside the plain one); throws, saying how to get it, when the broker has none.
 */
export function testSaslSslSettings(): Record<string, string> {
  const listener = saslSslListener();
  if (!listener) {
    throw new Error('the test broker has no SASL_SSL listener: restart it with `npm run infra:down && npm run infra:up` (and KAFKA_SASL_SSL_PORT unset or non-zero)');
  }
  return {
    KAFKA_BROKERS: listener.brokers,
    KAFKA_SSL_CA_FILE: listener.caFile,
    KAFKA_SASL_MECHANISM: listener.mechanism,
    KAFKA_SASL_USERNAME: listener.username,
    KAFKA_SASL_PASSWORD: listener.password,
  };
}

export function testServerUrl(): string {
  return process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
}

export function testRedisUrl(): string {
  return process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
}

/** Deletes every Redis key under `prefix:` (a suite's BullMQ queues), and only those. */
export async function deleteRedisKeys(prefix: string): Promise<void> {
  const redis = new Redis(testRedisUrl(), { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/** A name no other test uses: `<prefix>_<8 hex>`. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${randomUUID().replace(/-/g, '').slice(0, 8)}`;
}

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** A fresh database of its own for one suite, dropped afterwards; on the test server unless told another. */
export async function createTestDatabase(prefix: string, serverUrl: string = testServerUrl()): Promise<TestDatabase> {
  const name = uniqueName(`t_${prefix}`).toLowerCase();
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  return {
    name,
    url: databaseUrlFor(serverUrl, name),
    async drop() {
      const client = new Client({ connectionString: serverUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/**
 * Stops or starts the project's Kafka broker, one `infra up` started (fault-injection tests);
 * stopping refuses a broker this project did not start.
 */
export async function kafkaBroker(action: 'stop' | 'start'): Promise<void> {
  await (action === 'stop' ? stopLocalBroker() : startLocalBroker());
}
