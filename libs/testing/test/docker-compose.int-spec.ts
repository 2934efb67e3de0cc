import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { KAFKA_VERSION, ZIPKIN_VERSION } from '@commerce/provisioning';
import { repoRoot } from '../src';

const run = promisify(execFile);

describe('docker-compose.yml', () => {
  const compose = readFileSync(path.join(repoRoot, 'docker-compose.yml'), 'utf8');
  // The apps' build context (npm run image:context makes it); config -q wants the folder to exist.
  beforeAll(() => mkdirSync(path.join(repoRoot, 'dist', 'image'), { recursive: true }));

  it('is accepted by docker-compose config -q', async () => {
    await expect(
      run('docker-compose', ['config', '-q'], {
        cwd: repoRoot,
        env: {
          ...process.env,
          DASHBOARD_OPERATORS: 'alice:token-alice-123',
          DASHBOARD_SESSION_SECRET: 'a-secret-of-24-characters',
          RECONCILIATION_API_KEY: 'an-api-key-of-24-characters',
          SERVICES_CALLER_KEY: 'a-read-key-of-the-services',
          SERVICE_API_KEYS: `reconciliation:read:${'ab'.repeat(32)}`,
        },
      }),
    ).resolves.toBeDefined();
  });

  it('refuses to start the dashboard without operators, naming the setting', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, DASHBOARD_SESSION_SECRET: 'a-secret-of-24-characters', RECONCILIATION_API_KEY: 'an-api-key-of-24-characters', SERVICES_CALLER_KEY: 'a-read-key-of-the-services', SERVICE_API_KEYS: `reconciliation:read:${'ab'.repeat(32)}` };
    delete env['DASHBOARD_OPERATORS'];
    await expect(run('docker-compose', ['config', '-q'], { cwd: repoRoot, env })).rejects.toMatchObject({
      stderr: expect.stringContaining('DASHBOARD_OPERATORS'),
    });
  });

  it('refuses to start the reconciliation service and its dashboard without their API key, naming the setting', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, DASHBOARD_OPERATORS: 'alice:token-alice-123', DASHBOARD_SESSION_SECRET: 'a-secret-of-24-characters', SERVICES_CALLER_KEY: 'a-read-key-of-the-services', SERVICE_API_KEYS: `reconciliation:read:${'ab'.repeat(32)}` };
    delete env['RECONCILIATION_API_KEY'];
    await expect(run('docker-compose', ['config', '-q'], { cwd: repoRoot, env })).rejects.toMatchObject({
      stderr: expect.stringContaining('RECONCILIATION_API_KEY'),
    });
  });

  it('is accepted with the stand-ins override that npm run test:compose adds', async () => {
    await expect(
      run('docker-compose', ['-f', 'docker-compose.yml', '-f', 'docker-compose.standins.yml', 'config', '-q'], {
        cwd: repoRoot,
        env: { ...process.env, DASHBOARD_OPERATORS: 'alice:token-alice-123', DASHBOARD_SESSION_SECRET: 'a-secret-of-24-characters', RECONCILIATION_API_KEY: 'an-api-key-of-24-characters', SERVICES_CALLER_KEY: 'a-key-of-the-services', SERVICE_API_KEYS: 'operator:write:' + '0'.repeat(64) },
      }),
    ).resolves.toBeDefined();
  });

  it('publishes every port on 127.0.0.1 only', () => {
    const published = [...compose.matchAll(/^\s+ports: \[(.*)\]$/gm)].map((match) => match[1]);
    expect(published.length).toBeGreaterThanOrEqual(10);
    for (const ports of published) expect(ports).toMatch(/^'127\.0\.0\.1:[^,]*'$/);
  });

  it('refuses to start the five services without their callers\' keys, naming the setting', async () => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DASHBOARD_OPERATORS: 'alice:token-alice-123',
      DASHBOARD_SESSION_SECRET: 'a-secret-of-24-characters',
      RECONCILIATION_API_KEY: 'an-api-key-of-24-characters',
      SERVICES_CALLER_KEY: 'a-read-key-of-the-services',
    };
    delete env['SERVICE_API_KEYS'];
    await expect(run('docker-compose', ['config', '-q'], { cwd: repoRoot, env })).rejects.toMatchObject({
      stderr: expect.stringContaining('SERVICE_API_KEYS'),
    });
  });

  it('binds every app to all of its container\'s addresses (HOST), as the published ports need', () => {
    const apps = readdirSync(path.join(repoRoot, 'apps')).filter((app) => existsSync(path.join(repoRoot, 'apps', app, 'src', 'main.ts')));
    expect(compose.match(/^ {6}HOST: 0\.0\.0\.0/gm)).toHaveLength(apps.length);
  });

  it('runs the Kafka release the project pins', () => {
    expect(compose).toContain(`image: apache/kafka:${KAFKA_VERSION}`);
  });

  it('runs the Zipkin release the project pins, and every app traces to it', () => {
    expect(compose).toContain(`image: openzipkin/zipkin:${ZIPKIN_VERSION}`);
    expect(compose.match(/OTEL_EXPORTER_ZIPKIN_ENDPOINT: http:\/\/zipkin:9411\/api\/v2\/spans/g)?.length).toBe(7);
  });

  it('has a service for every app', () => {
    const apps = readdirSync(path.join(repoRoot, 'apps')).filter((app) => existsSync(path.join(repoRoot, 'apps', app, 'src', 'main.ts')));
    expect(apps.length).toBeGreaterThanOrEqual(5);
    for (const app of apps) expect(compose).toMatch(new RegExp(`^  ${app}:$`, 'm'));
  });
});
