import { z } from 'zod';
import { milestoneDocumentSettings } from '@commerce/milestones';
import { baseConfigSchema, credentialSettings, databaseSettings } from '@commerce/platform';

/** notification-service's settings, validated once at start-up (see docs/operations.md). */
export const configSchema = baseConfigSchema.extend({
  ...credentialSettings,
  ...milestoneDocumentSettings,
  PORT: z.coerce.number().int().positive().default(3005),
  ...databaseSettings('notification_service'),
  KAFKA_TOPIC_PREFIX: z.string().default(''),
  /** Share of simulated deliveries that fail (then retried by the sweep). @defaultValue 0 */
  NOTIFICATION_FAILURE_RATE: z.coerce.number().min(0).max(1).default(0).describe('0..1 share of simulated deliveries that fail'),
  /** How often the sweep looks for FAILED notifications that are due. @defaultValue 1000 */
  NOTIFICATION_RETRY_INTERVAL_MS: z.coerce.number().int().positive().default(1000),
  /** Backoff before the second attempt, doubling per attempt. @defaultValue 1000 */
  NOTIFICATION_RETRY_INITIAL_DELAY_MS: z.coerce.number().int().positive().default(1000),
  /** Longest wait between two attempts. @defaultValue 60000 */
  NOTIFICATION_RETRY_MAX_DELAY_MS: z.coerce.number().int().positive().default(60_000),
});

export type ServiceConfig = z.infer<typeof configSchema>;
