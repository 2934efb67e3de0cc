import { z } from 'zod';
import { ConfigError } from './config-error';
import { kafkaSecuritySettings } from './kafka-security';

export { ConfigError };

/**
 * The one config loader: validates the environment against a zod schema once, at start-up,
 * and names every missing or malformed setting in a single error.
 */
export function loadConfig<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.join('.') || '(environment)';
    return env[name] === undefined ? `${name} is missing: ${issue.message}` : `${name} is invalid: ${issue.message}`;
  });
  throw new ConfigError(problems);
}

/** Settings every service shares; services extend this schema with their own. */
export const baseConfigSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  HOST: z
    .string()
    .min(1)
    .default('127.0.0.1')
    .describe('the address HTTP binds to; 0.0.0.0 to answer other machines (containers)'),
  KAFKA_BROKERS: z
    .string()
    .min(1)
    .default('127.0.0.1:9092')
    .describe('comma-separated host:port list of Kafka bootstrap brokers'),
  ...kafkaSecuritySettings,
  /** An order (reservation, payment, shipment) older than this in a non-final state is an SLA breach on /metrics. @defaultValue 1800 */
  PROCESS_SLA_SECONDS: z.coerce.number().int().positive().default(1800),
});

export type BaseConfig = z.infer<typeof baseConfigSchema>;

/**
 * The settings of an app with a database of its own: `DATABASE_URL` names it, as libpq's URLs do
 * (`postgres://user:password@host:5432/<database>?sslmode=verify-full&sslrootcert=<ca>`).
 * `DATABASE_NAME`, which once chose the database on a server URL, is refused so an old deployment
 * does not quietly run on the server's default database.
 */
export function databaseSettings(defaultDatabase: string) {
  return {
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
      .refine((url) => URL.canParse(url) && new URL(url).pathname.length > 1, `must name the database: postgres://user:password@host:5432/${defaultDatabase}`)
      .default(`postgres://postgres@127.0.0.1:5432/${defaultDatabase}`)
      .describe("the URL of the service's own database"),
    DATABASE_NAME: z.undefined({ error: `is no longer read: put the database in DATABASE_URL's path (…:5432/${defaultDatabase})` }).optional(),
    /**
     * How long a query waits for a connection of the pool (a new one, or one another query frees)
     * before it fails; longer on a busy server, shorter to fail fast. @defaultValue 5000
     */
    DATABASE_CONNECT_TIMEOUT_MS: z.coerce.number().int().positive().default(5000).describe('ms a query may wait for a pool connection'),
    /** Statements with parameters run prepared, once per connection; false behind a pooler that cannot keep them (PgBouncer before 1.21 in transaction mode). @defaultValue true */
    DATABASE_PREPARED_STATEMENTS: z
      .enum(['true', 'false'])
      .default('true')
      .transform((value) => value === 'true'),
  };
}

/** Kafka broker list from the comma-separated setting. */
export function brokerList(brokers: string): string[] {
  return brokers
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
}

/** The URL of another database on the server of `serverUrl` (the stack runner and the tests make one per app). */
export function databaseUrlFor(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}
