import { readFileSync } from 'node:fs';
import type { RedisOptions } from 'ioredis';
import { z } from 'zod';
import { optionalSetting } from './optional-setting';

/** The settings of an app that reaches Redis (the reconciliation service's queues, the dashboard's view of them). */
export const redisSettings = {
  /** `redis://host:6379`, or `rediss://[user]:password@host:port` for TLS with a password. @defaultValue redis://127.0.0.1:6379 */
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// URL')
    .default('redis://127.0.0.1:6379'),
  /** PEM of the CA that signed Redis' certificate (a private CA), for a `rediss://` REDIS_URL; unset: the system's CAs. */
  REDIS_TLS_CA_FILE: optionalSetting(z.string().min(1)),
};

/**
 * ioredis options from REDIS_URL (redis[s]://[user:password@]host:port[/db]); `rediss://` is TLS,
 * trusting the CA of `caFile` when given, else the system's CAs.
 */
export function redisConnection(url: string, caFile?: string): RedisOptions {
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 6379),
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    db: parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : 0,
    ...(parsed.protocol === 'rediss:' ? { tls: caFile ? { ca: readFileSync(caFile, 'utf8') } : {} } : {}),
  };
}

/** A URL as it may be shown (logs, /health, errors): whatever precedes the host (user, password) replaced by `***`. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}
