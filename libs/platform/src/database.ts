import type { TypeOrmModuleOptions } from '@nestjs/typeorm';
import type { MixedList, EntitySchema } from 'typeorm';

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
 * a bounded pool, and a fast failure naming the database when it does not answer.
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
    extra: { max: options.poolSize ?? 10, connectionTimeoutMillis: 5000 },
  };
}
