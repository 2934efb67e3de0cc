import { z } from 'zod';
import { milestoneDocumentSettings } from '@commerce/milestones';
import { baseConfigSchema, credentialSettings, databaseSettings } from '@commerce/platform';

/** payment-service's settings, validated once at start-up (see docs/operations.md). */
export const configSchema = baseConfigSchema.extend({
  ...credentialSettings,
  ...milestoneDocumentSettings,
  PORT: z.coerce.number().int().positive().default(3003),
  ...databaseSettings('payment_service'),
  KAFKA_TOPIC_PREFIX: z.string().default(''),
  /** How long the simulated gateway takes to approve `tok_slow`. @defaultValue 2000 */
  GATEWAY_SLOW_MS: z.coerce.number().int().nonnegative().default(2000).describe('milliseconds tok_slow takes to approve'),
  /**
   * How long one authorization call may take before it counts as timed out; above
   * GATEWAY_SLOW_MS so a slow approval is still an approval. @defaultValue 3000
   */
  GATEWAY_TIMEOUT_MS: z.coerce.number().int().positive().default(3000).describe('milliseconds before a gateway call times out'),
  /** Authorization attempts when the gateway times out, before declining with 'gateway timeout'. @defaultValue 3 */
  GATEWAY_TIMEOUT_RETRIES: z.coerce.number().int().min(1).max(10).default(3).describe('attempts before a timing-out gateway is a decline'),
  /** Backoff before retry n (n = 1, 2, ...) is GATEWAY_RETRY_BASE_MS · 2^(n-1). @defaultValue 100 */
  GATEWAY_RETRY_BASE_MS: z.coerce.number().int().nonnegative().default(100).describe('first backoff delay after a gateway timeout'),
});

export type ServiceConfig = z.infer<typeof configSchema>;
