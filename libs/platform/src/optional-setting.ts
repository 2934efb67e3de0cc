import { z } from 'zod';

/**
 * An optional setting for which an empty value means "not set": docker-compose passes
 * `KAFKA_SSL_CA_FILE: ${KAFKA_SSL_CA_FILE:-}` as an empty string when the operator sets nothing.
 */
export function optionalSetting<T extends z.ZodType>(schema: T) {
  return z.preprocess((value) => (value === '' ? undefined : value), schema.optional());
}
