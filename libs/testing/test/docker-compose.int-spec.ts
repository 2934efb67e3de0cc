import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { KAFKA_VERSION } from '@commerce/provisioning';
import { repoRoot } from '../src';

const run = promisify(execFile);

describe('docker-compose.yml', () => {
  const compose = readFileSync(path.join(repoRoot, 'docker-compose.yml'), 'utf8');

  it('is accepted by docker-compose config -q', async () => {
    await expect(
      run('docker-compose', ['config', '-q'], {
        cwd: repoRoot,
        env: {
          ...process.env,
          DASHBOARD_OPERATORS: 'alice:token-alice-123',
          DASHBOARD_SESSION_SECRET: 'a-secret-of-24-characters',
          RECONCILIATION_API_KEY: 'an-api-key-of-24-characters',
          MILESTONES_API_KEY: 'a-read-key-of-the-services',
          SERVICE_API_KEYS: `reconciliation:read:${'ab'.repeat(32)}`,
        },
      }),
    ).resolves.toBeDefined();
  });

  it('refuses to start the dashboard without operators, naming the setting', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, DASHBOARD_SESSION_SECRET: 'a-secret-of-24-characters', RECONCILIATION_API_KEY: 'an-api-key-of-24-characters', MILESTONES_API_KEY: 'a-read-key-of-the-services', SERVICE_API_KEYS: `reconciliation:read:${'ab'.repeat(32)}` };
    delete env['DASHBOARD_OPERATORS'];
    await expect(run('docker-compose', ['config', '-q'], { cwd: repoRoot, env })).rejects.toMatchObject({
      stderr: expect.stringContaining('DASHBOARD_OPERATORS'),
    });
  });

  it('refuses to start the reconciliation service and its dashboard without their API key, naming the setting', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, DASHBOARD_OPERATORS: 'alice:token-alice-123', DASHBOARD_SESSION_SECRET: 'a-secret-of-24-characters', MILESTONES_API_KEY: 'a-read-key-of-the-services', SERVICE_API_KEYS: `reconciliation:read:${'ab'.repeat(32)}` };
    delete env['RECONCILIATION_API_KEY'];
    await expect(run('docker-compose', ['config', '-q'], { cwd: repoRoot, env })).rejects.toMatchObject({
      stderr: expect.stringContaining('RECONCILIATION_API_KEY'),
    });
  });

  it('refuses to start the five services without their callers\' keys, naming the setting', async () => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DASHBOARD_OPERATORS: 'alice:token-alice-123',
      DASHBOARD_SESSION_SECRET: 'a-secret-of-24-characters',
      RECONCILIATION_API_KEY: 'an-api-key-of-24-characters',
      MILESTONES_API_KEY: 'a-read-key-of-the-services',
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

  it('has a service for every app', () => {
    const apps = readdirSync(path.join(repoRoot, 'apps')).filter((app) => existsSync(path.join(repoRoot, 'apps', app, 'src', 'main.ts')));
    expect(apps.length).toBeGreaterThanOrEqual(5);
    for (const app of apps) expect(compose).toMatch(new RegExp(`^  ${app}:$`, 'm'));
  });
});
