import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { apiKeySettings, baseConfigSchema, databaseSettings, redisSettings } from '@commerce/platform';
import { parseWebhookEndpoints } from './webhooks/webhook-settings';

const url = (fallback: string) => z.url({ protocol: /^https?$/ }).default(fallback);
const millis = (fallback: number) => z.coerce.number().int().nonnegative().default(fallback);
const count = (fallback: number, max = Number.MAX_SAFE_INTEGER) => z.coerce.number().int().positive().max(max).default(fallback);
/** A rule's grace override: unset keeps the catalog default (rules/catalog.ts). */
const grace = z.coerce.number().int().nonnegative().optional();

/** reconciliation-service's settings, validated once at start-up (see README.md in this folder). */
export const configSchema = baseConfigSchema.extend({
  PORT: z.coerce.number().int().positive().default(3006),
  ...databaseSettings('reconciliation_service'),
  KAFKA_TOPIC_PREFIX: z.string().default(''),
  /** Its queues' Redis (REDIS_URL) and the CA of a `rediss://` one (REDIS_TLS_CA_FILE). */
  ...redisSettings,
  /**
   * Every caller of the REST API (the dashboard, scripts) sends it as `X-Api-Key`; only /health,
   * /metrics and /docs answer without it. Required in every environment: the API starts runs and
   * moves cases in operators' names, so it is never open. `npm start` generates one.
   */
  RECONCILIATION_API_KEY: z.string({ error: 'required: at least 16 characters' }).min(16, 'must be at least 16 characters'),
  /** Refused key attempts one client address may make per minute before it is answered 429 (as the five services). */
  API_KEY_FAILURES_PER_MINUTE: apiKeySettings.API_KEY_FAILURES_PER_MINUTE,
  /** Prefix of every BullMQ key in Redis; tests set their own to isolate queues. */
  RECONCILIATION_QUEUE_PREFIX: z.string().min(1).default('recon'),

  // -- where the milestones come from ---------------------------------------------------------
  ORDER_SERVICE_URL: url('http://127.0.0.1:3001'),
  INVENTORY_SERVICE_URL: url('http://127.0.0.1:3002'),
  PAYMENT_SERVICE_URL: url('http://127.0.0.1:3003'),
  SHIPMENT_SERVICE_URL: url('http://127.0.0.1:3004'),
  NOTIFICATION_SERVICE_URL: url('http://127.0.0.1:3005'),
  /**
   * This service's own credential as a caller of the five services, sent as `X-Api-Key`: a key they
   * hold (its hash in their SERVICE_API_KEYS). Write scope, since the pipes page replays their dead
   * letters (GET /milestones and the order explorer need only read). `npm start` generates one.
   */
  SERVICES_CALLER_KEY: z.string({ error: 'required: the key this service sends to the five services (its sha256 in their SERVICE_API_KEYS; write scope for replays)' }).min(1),
  /** Per HTTP attempt. */
  MILESTONES_TIMEOUT_MS: count(10_000),
  /** Attempts after the first one, with exponential backoff, before a service counts as not answering. */
  MILESTONES_RETRIES: z.coerce.number().int().nonnegative().default(3),
  MILESTONES_RETRY_DELAY_MS: count(200),
  /** orderIds per `GET /milestones?orderIds=` request (the contract allows 500 here). */
  MILESTONES_BATCH_SIZE: count(500, 500),
  /**
   * Longest request URL sent: Node servers refuse request heads over 16 KiB (431), and 500 UUIDs
   * take 18.5 KB, so batches are also cut by length.
   */
  MILESTONES_MAX_URL_LENGTH: count(14_000),
  /** Items per page of the incremental scan's updatedSince reads; the contract allows 1000. */
  MILESTONES_PAGE_SIZE: count(1000, 1000),
  /**
   * Items per page of a full scan's afterOrderId reads; the contract allows 5000. Every page costs
   * a request and a few database round trips on both sides, so fewer, larger pages cost the
   * services less CPU (docs/operations.md has the figures).
   */
  FULL_SCAN_PAGE_SIZE: count(5000, 5000),

  // -- runs -----------------------------------------------------------------------------------
  /**
   * A full scan splits the orderId keyspace into this many ranges, a job each on the `ranges`
   * queue, which any instance takes: more ranges than instances × FULL_SCAN_PARTITIONS keeps every
   * instance busy to the end; each range costs a thread start and a first page per service.
   */
  FULL_SCAN_RANGES: count(16, 256),
  /**
   * Ranges of full scans this instance scans at once (the `ranges` queue's concurrency), each in
   * a worker thread of its own with FULL_SCAN_THREADS.
   * @defaultValue the machine's cores, between 2 and 4: more threads than cores made the scan
   * slower and its memory larger on the bench machine (docs/operations.md).
   */
  FULL_SCAN_PARTITIONS: count(Math.min(4, Math.max(2, availableParallelism())), 64),
  /**
   * Scan the ranges in worker threads, whose young generation is sized for parsing pages
   * (scan-threads.ts); false: in the main thread.
   * @defaultValue true. In the main thread, with V8's default young generation, garbage collection
   * takes as much CPU as parsing and judging (docs/operations.md).
   */
  FULL_SCAN_THREADS: z.stringbool().default(true),
  /**
   * Orders evaluated and written per transaction. Every batch costs a transaction of a dozen
   * statements and a progress update, so fewer, larger batches make a full scan faster
   * (docs/operations.md), and an incremental run of 2000 orders is one batch instead of two.
   */
  RUN_BATCH_SIZE: count(5000, 10_000),
  /** Scheduled incremental scan every this many ms; 0 disables the schedule. */
  INCREMENTAL_SCAN_EVERY_MS: millis(60_000),
  /** Scheduled full scan every this many ms (deleted records only show in a full scan); 0 disables. */
  FULL_SCAN_EVERY_MS: millis(24 * 3600 * 1000),
  /** Re-read this much before each service's watermark (clock skew between the services' databases and ours). */
  WATERMARK_OVERLAP_MS: millis(5_000),
  /** A repair that has not converged after this long is tried again (up to REPAIR_MAX_ATTEMPTS). */
  REPAIR_TIMEOUT_MS: millis(10 * 60 * 1000),
  /** Automatic repair attempts before a case goes to NEEDS_ATTENTION. */
  REPAIR_MAX_ATTEMPTS: count(3),
  /** After a repair command is emitted, the order is checked again after this delay; 0 disables. */
  REPAIR_VERIFY_DELAY_MS: millis(60_000),

  // -- BullMQ workers -------------------------------------------------------------------------
  RUN_CONCURRENCY: count(1, 16),
  CHECK_CONCURRENCY: count(4, 64),
  REPAIR_CONCURRENCY: count(8, 64),
  JOB_ATTEMPTS: count(5, 50),
  JOB_BACKOFF_MS: count(2_000),
  /** Lock of an active job; a worker that dies loses it after this long and the job runs elsewhere. */
  JOB_LOCK_MS: count(30_000),
  /** How often workers look for jobs whose worker died. */
  JOB_STALLED_CHECK_MS: count(30_000),

  // -- the order explorer (GET /orders/:orderId) -----------------------------------------------
  /** Messages read at most per topic (of the order's partition) for one explorer answer; past it the topic is marked truncated. */
  EXPLORER_MAX_SCAN: count(200_000),
  /** The explorer's Kafka read gives up after this long and answers with what it read (complete: false). */
  EXPLORER_TIMEOUT_MS: count(10_000),
  /** The read starts this long before the order's first milestone (the broker's time index finds the offset). */
  EXPLORER_LOOKBACK_MS: millis(60_000),
  /** Per request to a service's /dead-letters and /outbox/pending. */
  EXPLORER_SERVICE_TIMEOUT_MS: count(3_000),

  // -- webhooks (README: the events, the signature and how a receiver verifies it) ----------------
  /**
   * Who hears of cases: `<url> <events>; <url> <events>`, events comma-separated among
   * case.opened, case.needs-attention, case.repaired, case.reopened, or `*`.
   * @defaultValue empty: no webhooks
   */
  WEBHOOK_ENDPOINTS: z
    .string()
    .default('')
    .transform((value, context) => {
      try {
        return parseWebhookEndpoints(value);
      } catch (error) {
        context.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    }),
  /** Key of every delivery's HMAC-SHA256 signature; required (16 characters or more) when WEBHOOK_ENDPOINTS lists any. */
  WEBHOOK_SECRET: z.preprocess((value) => (value === '' ? undefined : value), z.string().min(16, 'must be at least 16 characters').optional()),
  /** Attempts of a delivery before it is FAILED (an operator can redeliver it). */
  WEBHOOK_MAX_ATTEMPTS: count(8, 100),
  /** Delay before the second attempt, doubled for each further one. */
  WEBHOOK_BACKOFF_MS: count(5_000),
  /** The longest delay between two attempts. */
  WEBHOOK_BACKOFF_MAX_MS: count(3600 * 1000),
  /** Per HTTP attempt; a receiver slower than this counts as failed. */
  WEBHOOK_TIMEOUT_MS: count(10_000),
  /** How often each replica looks for deliveries due. */
  WEBHOOK_POLL_MS: count(1_000),
  /** Deliveries in flight at once per replica (each to another endpoint: one endpoint gets one at a time). */
  WEBHOOK_CONCURRENCY: count(4, 32),

  // -- grace per rule (ms); defaults in rules/catalog.ts ---------------------------------------
  RULE_GRACE_MS_STUCK_AT_INVENTORY: grace,
  RULE_GRACE_MS_STUCK_AT_PAYMENT: grace,
  RULE_GRACE_MS_STUCK_AT_SHIPMENT: grace,
  RULE_GRACE_MS_DISPATCHED_NOT_CAPTURED: grace,
  RULE_GRACE_MS_DECLINED_STILL_RESERVED: grace,
  RULE_GRACE_MS_CANCELLED_STILL_RESERVED: grace,
  RULE_GRACE_MS_CANCELLED_STILL_CHARGED: grace,
  RULE_GRACE_MS_CANCELLED_BUT_DISPATCHED: grace,
  RULE_GRACE_MS_AMOUNT_MISMATCH: grace,
  RULE_GRACE_MS_STATUS_CONTRADICTION: grace,
  RULE_GRACE_MS_MISSING_NOTIFICATION: grace,
  RULE_GRACE_MS_ORPHAN_RECORD: grace,
}).superRefine((config, context) => {
  if (config.WEBHOOK_ENDPOINTS.length > 0 && !config.WEBHOOK_SECRET) {
    context.addIssue({ code: 'custom', path: ['WEBHOOK_SECRET'], message: 'required when WEBHOOK_ENDPOINTS lists an endpoint: the key deliveries are signed with' });
  }
});

export type ServiceConfig = z.infer<typeof configSchema>;

