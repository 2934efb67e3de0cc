import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { loadConfig } from './config';
import { redactUrl, redisConnection, redisSettings } from './redis-connection';

describe('redisConnection', () => {
  it('is plain for redis://, with the database of the path', () => {
    expect(redisConnection('redis://127.0.0.1:6380/2')).toEqual({ host: '127.0.0.1', port: 6380, db: 2 });
  });

  it('is TLS with the password for rediss://, trusting the private CA of the file when given', () => {
    const ca = path.join(mkdtempSync(path.join(tmpdir(), 'redis-ca-')), 'ca.pem');
    writeFileSync(ca, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    expect(redisConnection('rediss://:p%40ss@redis.example:6380', ca)).toEqual({
      host: 'redis.example',
      port: 6380,
      password: 'p@ss',
      db: 0,
      tls: { ca: expect.stringContaining('BEGIN CERTIFICATE') },
    });
    expect(redisConnection('rediss://app:secret@redis.example:6380').tls).toEqual({});
  });

  it('takes an empty REDIS_TLS_CA_FILE as unset (docker-compose passes empty values)', () => {
    expect(loadConfig(z.object(redisSettings), { REDIS_TLS_CA_FILE: '' })).toEqual({ REDIS_URL: 'redis://127.0.0.1:6379' });
  });

  it('shows a URL without its password', () => {
    expect(redactUrl('rediss://:hunter2@redis.example:6380')).toBe('rediss://***@redis.example:6380');
    expect(redactUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
  });
});
