import { z } from 'zod';
import { baseConfigSchema, brokerList, ConfigError, databaseUrlFor, loadConfig } from './config';

describe('loadConfig', () => {
  const schema = baseConfigSchema.extend({ PORT: z.coerce.number().int().positive(), API_KEY: z.string().min(8) });

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
