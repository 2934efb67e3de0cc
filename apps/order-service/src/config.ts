import { z } from 'zod';
import { milestoneDocumentSettings } from '@commerce/milestones';
import { credentialSettings, baseConfigSchema } from '@commerce/platform';

/** order-service's settings, validated once at start-up (see docs/operations.md). */
export const configSchema = baseConfigSchema.extend({
  ...credentialSettings,
  ...milestoneDocumentSettings,
  PORT: z.coerce.number().int().positive().default(3001),
  DATABASE_NAME: z.string().min(1).default('order_service'),
  KAFKA_TOPIC_PREFIX: z.string().default(''),
});

export type ServiceConfig = z.infer<typeof configSchema>;
