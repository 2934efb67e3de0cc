import type { DynamicModule } from '@nestjs/common';
import { TypeOrmModule, type TypeOrmModuleOptions } from '@nestjs/typeorm';
import { DataSource, type DataSourceOptions, type EntitySchema, type Migration, type MixedList, type ValueTransformer } from 'typeorm';
import { SessionAdvisoryLock } from './advisory-lock';
import { serviceTypeParsers } from './pg-timestamps';
import { PreparingClient } from './prepared-statements';

export interface ServiceDatabaseOptions {
  /** Full URL of the service's own database. */
  url: string;
  entities: MixedList<string | (new () => unknown) | EntitySchema>;
  migrations: MixedList<string | (new () => unknown)>;
  /** @defaultValue 10 */
  poolSize?: number;
  /** Statements with parameters run prepared (prepared-statements.ts). @defaultValue true */
  preparedStatements?: boolean;
  /** How long a query waits for a pool connection before it fails (DATABASE_CONNECT_TIMEOUT_MS). @defaultValue 5000 */
  connectTimeoutMs?: number;
}

/**
 * TypeORM settings every service shares: migrations run at start-up (once, under a lock:
 * serviceDatabaseModule), never `synchronize`,
 * a bounded pool, a fast failure naming the database when it does not answer, and a faster
 * timestamptz parser (pg-timestamps.ts) for the pool's connections, and statements prepared once
 * per connection (prepared-statements.ts).
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
    extra: {
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
      types: serviceTypeParsers,
      ...(options.preparedStatements === false ? {} : { Client: PreparingClient }),
    },
  };
}

/**
 * The advisory lock (per database: Postgres scopes the key to the current database) held while a
 * service migrates, so replicas starting together migrate once and the others wait, then find nothing pending.
 */
export const MIGRATION_LOCK_KEY = 7_063_540_001;

/** Runs the pending migrations while holding MIGRATION_LOCK_KEY on a connection of its own. */
export async function migrateUnderLock(dataSource: DataSource, transaction: 'all' | 'each' | 'none' = 'all'): Promise<Migration[]> {
  const outcome = await new SessionAdvisoryLock(MIGRATION_LOCK_KEY).runHolding(dataSource, () => dataSource.runMigrations({ transaction }), { wait: true });
  return outcome.ran ? outcome.result : [];
}

/** A data source initialized, then migrated under the lock when its options say `migrationsRun`. */
export async function initializeMigrated(options: DataSourceOptions): Promise<DataSource> {
  const dataSource = new DataSource({ ...options, migrationsRun: false });
  await dataSource.initialize();
  if (!options.migrationsRun) return dataSource;
  try {
    await migrateUnderLock(dataSource, options.migrationsTransactionMode);
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
  return dataSource;
}

/** The service's TypeORM module: serviceDatabase's settings, migrations run once across replicas. */
export function serviceDatabaseModule(options: ServiceDatabaseOptions): DynamicModule {
  return TypeOrmModule.forRootAsync({
    useFactory: () => serviceDatabase(options),
    dataSourceFactory: (dataSourceOptions) => initializeMigrated(dataSourceOptions as DataSourceOptions),
  });
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
