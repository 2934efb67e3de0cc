import type { TypeOrmModuleOptions } from '@nestjs/typeorm';
import type { EntitySchema, MixedList, ValueTransformer } from 'typeorm';
import { serviceTypeParsers } from './pg-timestamps';

export interface ServiceDatabaseOptions {
  /** Full URL of the service's own database. */
  url: string;
  entities: MixedList<string | (new () => unknown) | EntitySchema>;
  migrations: MixedList<string | (new () => unknown)>;
  /** @defaultValue 10 */
  poolSize?: number;
}

/**
 * TypeORM settings every service shares: migrations run at start-up, never `synchronize`,
 * a bounded pool, a fast failure naming the database when it does not answer, and a faster
 * timestamptz parser (pg-timestamps.ts) for the pool's connections.
 */
export function serviceDatabase(options: ServiceDatabaseOptions): TypeOrmModuleOptions {
  return {
    type: 'postgres',
    url: options.url,
    entities: options.entities,
    migrations: options.migrations,
    migrationsRun: true,
    synchronize: false,
    logging: ['error'],
    retryAttempts: 3,
    retryDelay: 1000,
    extra: { max: options.poolSize ?? 10, connectionTimeoutMillis: 5000, types: serviceTypeParsers },
  };
}

/** bigint columns come back from pg as strings; money in minor units stays far below 2^53. */
export const bigintAsNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a UUID in its 8-4-4-4-12 hex form (either case): safe to cast to `uuid` in SQL. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
