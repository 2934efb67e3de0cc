import { z } from 'zod';
import { milestoneDocumentSettings } from '@commerce/milestones';
import { baseConfigSchema, credentialSettings, databaseSettings } from '@commerce/platform';

/** inventory-service's settings, validated once at start-up (see docs/operations.md). */
export const configSchema = baseConfigSchema.extend({
  ...credentialSettings,
  ...milestoneDocumentSettings,
  PORT: z.coerce.number().int().positive().default(3002),
  ...databaseSettings('inventory_service'),
  KAFKA_TOPIC_PREFIX: z.string().default(''),
});

export type ServiceConfig = z.infer<typeof configSchema>;
