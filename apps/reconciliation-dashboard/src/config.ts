import { z } from 'zod';
import { baseConfigSchema, redisSettings } from '@commerce/platform';
import { parseOperators } from './auth/operators';

/** reconciliation-dashboard's settings, validated once at start-up (see docs/operations.md). */
export const configSchema = baseConfigSchema.pick({ NODE_ENV: true, LOG_LEVEL: true, HOST: true }).extend({
  /** @defaultValue 3010 */
  PORT: z.coerce.number().int().min(0).default(3010),
  /** Base URL of the reconciliation service's REST API. @defaultValue http://127.0.0.1:3006 */
  RECONCILIATION_URL: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:3006').describe('base URL of the reconciliation service'),
  /** Redis holding the reconciliation service's BullMQ queues (REDIS_URL), and the CA of a `rediss://` one (REDIS_TLS_CA_FILE). */
  ...redisSettings,
  /** The BullMQ key prefix the reconciliation service uses. @defaultValue recon */
  RECONCILIATION_QUEUE_PREFIX: z.string().min(1).default('recon'),
  /**
   * Queues to show even before they have a job (others under the prefix are found in Redis).
   * @defaultValue the reconciliation service's queues
   */
  RECONCILIATION_QUEUES: z
    .string()
    .default('runs,checks,repairs,ranges')
    .transform((value) => value.split(',').map((name) => name.trim()).filter(Boolean)),
  /** Who may sign in: `alice:token-a,bob:token-b` (operator name : token). Required. */
  DASHBOARD_OPERATORS: z
    .string({ error: 'required: operators as name:token[,name:token...]' })
    .superRefine((value, context) => {
      for (const problem of parseOperators(value).problems) context.addIssue({ code: 'custom', message: problem });
    })
    .transform((value) => parseOperators(value).operators),
  /** Signs the session cookies; at least 16 characters. Changing it signs everybody out. Required. */
  DASHBOARD_SESSION_SECRET: z.string({ error: 'required: at least 16 characters' }).min(16, 'must be at least 16 characters'),
  /** How long a sign-in lasts. @defaultValue 12 */
  DASHBOARD_SESSION_HOURS: z.coerce.number().positive().max(24 * 30).default(12),
  /** Mark the session cookie Secure (set when served over HTTPS). @defaultValue false */
  DASHBOARD_SECURE_COOKIE: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true'),
  /**
   * Sent as `X-Api-Key` on every forwarded request: the reconciliation service's own
   * RECONCILIATION_API_KEY (its X-Operator header must not be settable by anyone who can reach
   * its port). Required.
   */
  RECONCILIATION_API_KEY: z.string({ error: 'required: the reconciliation service\'s key, at least 16 characters' }).min(16, 'must be at least 16 characters'),
  /**
   * Zipkin's address as the browser reaches it: a case links to its order's traces there.
   * @defaultValue none (no link); `npm start` sets it when Zipkin runs
   */
  DASHBOARD_TRACES_URL: z.url({ protocol: /^https?$/ }).optional().describe('base URL of Zipkin, for links to traces'),
  /** How long to wait for the reconciliation service per request. @defaultValue 10000 */
  RECONCILIATION_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
});

export type DashboardConfig = z.infer<typeof configSchema>;
