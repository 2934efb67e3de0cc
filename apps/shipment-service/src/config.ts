import { z } from 'zod';
import { milestoneDocumentSettings } from '@commerce/milestones';
import { baseConfigSchema, credentialSettings, databaseSettings } from '@commerce/platform';

/** shipment-service's settings, validated once at start-up (see docs/operations.md). */
export const configSchema = baseConfigSchema.extend({
  ...credentialSettings,
  ...milestoneDocumentSettings,
  PORT: z.coerce.number().int().positive().default(3004),
  ...databaseSettings('shipment_service'),
  KAFKA_TOPIC_PREFIX: z.string().default(''),
  /** Demo warehouse: dispatch CREATED shipments older than this many seconds; 0 = off. @defaultValue 0 */
  AUTO_DISPATCH_SECONDS: z.coerce.number().nonnegative().default(0),
  /** Demo carrier: deliver DISPATCHED shipments dispatched longer ago than this; 0 = off. @defaultValue 0 */
  AUTO_DELIVER_SECONDS: z.coerce.number().nonnegative().default(0),
  /** Pause between two auto-dispatch sweeps (only when one of the two above is on). @defaultValue 1000 */
  AUTO_SWEEP_INTERVAL_MS: z.coerce.number().int().positive().default(1000),
});

export type ServiceConfig = z.infer<typeof configSchema>;
