import { startSecurePostgres, startSecureRedis, type SecurePostgres, type SecureRedis } from '@commerce/provisioning';
import { testSaslSslSettings } from './infra';
import { freePort } from './ports';

/**
 * The secured trio a managed deployment gives the services: Kafka over SASL_SSL (the test broker's
 * second listener), a Postgres of its own with a password and TLS only, and optionally a
 * redis-server of its own with a password and TLS only. Thrown away by `stop`.
 */
export interface SecuredInfra {
  postgres: SecurePostgres;
  redis: SecureRedis | null;
  /**
   * What takes an app there: KAFKA_BROKERS and KAFKA_SSL_CA_FILE/KAFKA_SASL_*, DATABASE_URL (the
   * server; a database of the app's own replaces its path), and with Redis, REDIS_URL and REDIS_TLS_CA_FILE.
   */
  env: Record<string, string>;
  stop(): Promise<void>;
}

/** Starts the secured Postgres (and Redis), on free ports of 127.0.0.1. */
export async function startSecuredInfra(options: { redis?: boolean } = {}): Promise<SecuredInfra> {
  const kafka = testSaslSslSettings(); // first: it throws, saying how to fix it, when the broker has no SASL_SSL listener
  const postgres = await startSecurePostgres(await freePort());
  let redis: SecureRedis | null = null;
  try {
    if (options.redis) redis = await startSecureRedis(await freePort());
  } catch (error) {
    await postgres.stop();
    throw error;
  }
  return {
    postgres,
    redis,
    env: {
      ...kafka,
      DATABASE_URL: postgres.url,
      ...(redis ? { REDIS_URL: redis.url, REDIS_TLS_CA_FILE: redis.caFile } : {}),
    },
    async stop() {
      await Promise.all([postgres.stop(), redis?.stop()]);
    },
  };
}
