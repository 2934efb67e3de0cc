import { loadConfig } from '@commerce/platform';
import { configSchema } from './config';

const valid = { DASHBOARD_OPERATORS: 'alice:token-a,bob:token-b', DASHBOARD_SESSION_SECRET: 'sixteen-chars-ok', RECONCILIATION_API_KEY: 'the-service-key-0123' };

describe('configSchema', () => {
  it('reads the operators and defaults everything else', () => {
    const config = loadConfig(configSchema, valid);
    expect(config.DASHBOARD_OPERATORS).toEqual([
      { name: 'alice', token: 'token-a' },
      { name: 'bob', token: 'token-b' },
    ]);
    expect(config).toMatchObject({
      PORT: 3010,
      RECONCILIATION_URL: 'http://127.0.0.1:3006',
      RECONCILIATION_QUEUE_PREFIX: 'recon',
      RECONCILIATION_QUEUES: ['runs', 'checks', 'repairs', 'ranges'],
      DASHBOARD_SESSION_HOURS: 12,
      DASHBOARD_SECURE_COOKIE: false,
    });
  });

  it('refuses to start without operators, naming the setting', () => {
    expect(() => loadConfig(configSchema, { ...valid, DASHBOARD_OPERATORS: undefined })).toThrow(/DASHBOARD_OPERATORS is missing/);
  });

  it('refuses malformed operators, saying what is wrong', () => {
    expect(() => loadConfig(configSchema, { ...valid, DASHBOARD_OPERATORS: 'alice:a,bob' })).toThrow(/DASHBOARD_OPERATORS is invalid: entry 2 is not name:token/);
  });

  it('refuses a missing or short session secret, naming the setting', () => {
    expect(() => loadConfig(configSchema, { ...valid, DASHBOARD_SESSION_SECRET: undefined })).toThrow(/DASHBOARD_SESSION_SECRET is missing/);
    expect(() => loadConfig(configSchema, { ...valid, DASHBOARD_SESSION_SECRET: 'too-short' })).toThrow(/DASHBOARD_SESSION_SECRET is invalid: must be at least 16 characters/);
  });

  it("refuses to start without the reconciliation service's API key, naming the setting", () => {
    expect(() => loadConfig(configSchema, { ...valid, RECONCILIATION_API_KEY: undefined })).toThrow(/RECONCILIATION_API_KEY is missing/);
    expect(() => loadConfig(configSchema, { ...valid, RECONCILIATION_API_KEY: 'short' })).toThrow(/RECONCILIATION_API_KEY is invalid: must be at least 16 characters/);
  });

  it('refuses a reconciliation URL that is not http(s)', () => {
    expect(() => loadConfig(configSchema, { ...valid, RECONCILIATION_URL: 'ftp://x' })).toThrow(/RECONCILIATION_URL is invalid/);
  });
});
