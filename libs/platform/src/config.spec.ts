import { z } from 'zod';
import { baseConfigSchema, brokerList, ConfigError, databaseSettings, databaseUrlFor, loadConfig } from './config';
import { serviceDatabase } from './database';

describe('loadConfig', () => {
  const schema = baseConfigSchema.extend({ ...databaseSettings('order_service'), PORT: z.coerce.number().int().positive(), API_KEY: z.string().min(8) });

  it('returns typed settings with defaults filled in', () => {
    const config = loadConfig(schema, { PORT: '3001', API_KEY: 'long-enough' });
    expect(config).toMatchObject({ PORT: 3001, KAFKA_BROKERS: '127.0.0.1:9092', LOG_LEVEL: 'info' });
  });

  it('names every missing and every malformed setting in one error', () => {
    let error: unknown;
    try {
      loadConfig(schema, { PORT: 'abc', DATABASE_URL: 'mysql://x' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/PORT is invalid/);
    expect(problems).toMatch(/API_KEY is missing/);
    expect(problems).toMatch(/DATABASE_URL is invalid: must be a postgres:\/\/ URL/);
  });
});

describe('databaseSettings', () => {
  const schema = z.object(databaseSettings('order_service'));
  const problemsOf = (env: Record<string, string>) => {
    try {
      loadConfig(schema, env);
    } catch (error) {
      if (error instanceof ConfigError) return error.problems;
      throw error;
    }
    throw new Error('no ConfigError');
  };

  it("takes DATABASE_URL as the URL of the service's own database, defaulting to a local one", () => {
    const url = 'postgres://order_svc:p%40ss@pg.example.net:5432/orders?sslmode=verify-full&sslrootcert=/run/secrets/ca.pem';
    expect(loadConfig(schema, { DATABASE_URL: url }).DATABASE_URL).toBe(url);
    expect(loadConfig(schema, {}).DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/order_service');
  });

  it('refuses a URL that names no database, and DATABASE_NAME, naming the setting', () => {
    expect(problemsOf({ DATABASE_URL: 'postgres://pg.example.net:5432' })).toEqual([expect.stringMatching(/^DATABASE_URL is invalid: must name the database: .*\/order_service$/)]);
    expect(problemsOf({ DATABASE_URL: 'postgres://pg.example.net:5432/postgres', DATABASE_NAME: 'order_service' })).toEqual([
      expect.stringMatching(/^DATABASE_NAME is invalid: is no longer read: put the database in DATABASE_URL's path/),
    ]);
  });
});

describe('DATABASE_CONNECT_TIMEOUT_MS', () => {
  const schema = z.object(databaseSettings('order_service'));

  it("is the pool's connect timeout, 5000 ms unless set", () => {
    expect(loadConfig(schema, {}).DATABASE_CONNECT_TIMEOUT_MS).toBe(5000);
    const config = loadConfig(schema, { DATABASE_CONNECT_TIMEOUT_MS: '15000' });
    expect(config.DATABASE_CONNECT_TIMEOUT_MS).toBe(15_000);
    expect(serviceDatabase({ url: config.DATABASE_URL, entities: [], migrations: [], connectTimeoutMs: config.DATABASE_CONNECT_TIMEOUT_MS }).extra).toMatchObject({ connectionTimeoutMillis: 15_000 });
    expect(serviceDatabase({ url: config.DATABASE_URL, entities: [], migrations: [] }).extra).toMatchObject({ connectionTimeoutMillis: 5000 });
  });

  it.each(['soon', '0', '-1', '2.5'])('refuses %s at start-up, naming the setting', (value) => {
    expect(() => loadConfig(schema, { DATABASE_CONNECT_TIMEOUT_MS: value })).toThrow(/DATABASE_CONNECT_TIMEOUT_MS is invalid/);
  });
});

describe('brokerList and databaseUrlFor', () => {
  it('splits and trims the broker list', () => {
    expect(brokerList(' a:1, b:2 ,,')).toEqual(['a:1', 'b:2']);
  });

  it("puts the service's database on the configured server", () => {
    expect(databaseUrlFor('postgres://u:p@db:5433/postgres?sslmode=disable', 'order_service')).toBe(
      'postgres://u:p@db:5433/order_service?sslmode=disable',
    );
  });
});
