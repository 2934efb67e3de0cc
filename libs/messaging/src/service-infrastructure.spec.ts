import 'reflect-metadata';
import type { DynamicModule, Provider } from '@nestjs/common';
import { PlatformModule, plainApiKey } from '@commerce/platform';
import { MESSAGING_OPTIONS, MessagingModule, type MessagingModuleOptions } from './messaging.module';
import { MessagingTables1763770000000 } from './migrations/1763770000000-messaging-tables';
import { serviceInfrastructure } from './service-infrastructure';

class ShopTables1700000000000 {}
class Parcel {}

/** Every provider of a dynamic module and of the dynamic modules it imports. */
function providersOf(module: DynamicModule): Provider[] {
  const imported = (module.imports ?? []).filter((entry): entry is DynamicModule => typeof entry === 'object' && entry !== null && 'module' in entry);
  return [...(module.providers ?? []), ...imported.flatMap(providersOf)];
}

function valueOf(module: DynamicModule, token: unknown): unknown {
  const provider = providersOf(module).find((p) => typeof p === 'object' && 'provide' in p && p.provide === token);
  if (provider && 'useFactory' in provider) return (provider.useFactory as () => unknown)();
  return provider && 'useValue' in provider ? provider.useValue : undefined;
}

describe('serviceInfrastructure', () => {
  const [platform, database, messaging] = serviceInfrastructure({
    service: 'shop-service',
    config: {
      DATABASE_URL: 'postgres://postgres@db.internal:5432/shop_service',
      KAFKA_BROKERS: 'k1:9092, k2:9092',
      KAFKA_TOPIC_PREFIX: 'test.',
      SERVICE_API_KEYS: [plainApiKey('operator', 'write', 'a-key-for-the-shop-service')],
      DATABASE_CONNECT_TIMEOUT_MS: 12_000,
    },
    entities: [Parcel],
    migrations: [ShopTables1700000000000],
    messaging: { partitionsConsumedConcurrently: 1 },
  });

  it('imports the platform, the database and messaging, in that order', () => {
    expect(platform.module).toBe(PlatformModule);
    expect(messaging.module).toBe(MessagingModule);
  });

  it("runs the service's migrations after the messaging tables, on its own database", () => {
    expect(valueOf(database, 'TypeOrmModuleOptions')).toMatchObject({
      url: 'postgres://postgres@db.internal:5432/shop_service',
      entities: [Parcel],
      migrations: [MessagingTables1763770000000, ShopTables1700000000000],
      migrationsRun: true,
      synchronize: false,
    });
  });

  it("gives the pool the service's connect timeout (DATABASE_CONNECT_TIMEOUT_MS)", () => {
    expect(valueOf(database, 'TypeOrmModuleOptions')).toMatchObject({ extra: { connectionTimeoutMillis: 12_000 } });
  });

  it('connects messaging to the brokers, the topic prefix and the same database', () => {
    expect(valueOf(messaging, MESSAGING_OPTIONS)).toEqual<MessagingModuleOptions>({
      service: 'shop-service',
      brokers: ['k1:9092', 'k2:9092'],
      security: {},
      topicPrefix: 'test.',
      databaseUrl: 'postgres://postgres@db.internal:5432/shop_service',
      partitionsConsumedConcurrently: 1,
    });
  });
});
