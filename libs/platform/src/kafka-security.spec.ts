import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { baseConfigSchema, ConfigError, loadConfig } from './config';
import { kafkaSecurity } from './kafka-security';

const PASSWORD = 'the-sasl-password-1234';

function problemsOf(settings: Record<string, string>): string[] {
  try {
    kafkaSecurity(loadConfig(baseConfigSchema, settings));
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('no ConfigError');
}

describe('kafkaSecurity', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kafka-security-'));
  const ca = path.join(dir, 'ca.pem');
  writeFileSync(ca, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');

  it('is nothing for a plain listener', () => {
    expect(kafkaSecurity(loadConfig(baseConfigSchema, {}))).toEqual({});
  });

  it('takes empty values as unset (what docker-compose passes for a setting nobody gave)', () => {
    const empty = { KAFKA_SSL: '', KAFKA_SSL_CA_FILE: '', KAFKA_SSL_CERT_FILE: '', KAFKA_SSL_KEY_FILE: '', KAFKA_SASL_MECHANISM: '', KAFKA_SASL_USERNAME: '', KAFKA_SASL_PASSWORD: '' };
    expect(kafkaSecurity(loadConfig(baseConfigSchema, empty))).toEqual({});
    expect(kafkaSecurity(loadConfig(baseConfigSchema, { ...empty, KAFKA_SSL: 'true' }))).toEqual({ ssl: true });
  });

  it('gives SASL over TLS with a private CA read from its file', () => {
    const config = loadConfig(baseConfigSchema, {
      KAFKA_SSL_CA_FILE: ca,
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: 'commerce',
      KAFKA_SASL_PASSWORD: PASSWORD,
    });
    expect(kafkaSecurity(config)).toEqual({
      ssl: { ca: expect.stringContaining('BEGIN CERTIFICATE') },
      sasl: { mechanism: 'scram-sha-512', username: 'commerce', password: PASSWORD },
    });
  });

  it('trusts the system CAs when KAFKA_SSL is true without a CA file', () => {
    expect(kafkaSecurity(loadConfig(baseConfigSchema, { KAFKA_SSL: 'true' }))).toEqual({ ssl: true });
  });

  it('names each missing setting, and never quotes the password', () => {
    expect(problemsOf({ KAFKA_SASL_MECHANISM: 'plain' })).toEqual([
      'KAFKA_SASL_USERNAME is missing: KAFKA_SASL_MECHANISM=plain needs a username',
      'KAFKA_SASL_PASSWORD is missing: KAFKA_SASL_MECHANISM=plain needs a password',
    ]);
    const noMechanism = problemsOf({ KAFKA_SASL_USERNAME: 'commerce', KAFKA_SASL_PASSWORD: PASSWORD });
    expect(noMechanism).toEqual([expect.stringMatching(/^KAFKA_SASL_MECHANISM is missing/)]);
    expect(noMechanism.join(' ')).not.toContain(PASSWORD);
    expect(problemsOf({ KAFKA_SSL_CERT_FILE: ca })).toEqual([expect.stringMatching(/^KAFKA_SSL_KEY_FILE is missing/)]);
    expect(problemsOf({ KAFKA_SSL_CA_FILE: path.join(dir, 'absent.pem') })).toEqual([expect.stringMatching(/^KAFKA_SSL_CA_FILE is invalid: cannot read .*absent\.pem \(ENOENT\)/)]);
  });

  it('refuses an unknown mechanism at load time, naming the setting', () => {
    expect(() => loadConfig(baseConfigSchema, { KAFKA_SASL_MECHANISM: 'gssapi' })).toThrow(/KAFKA_SASL_MECHANISM is invalid/);
  });
});
