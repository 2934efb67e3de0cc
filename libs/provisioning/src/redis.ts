// Redis: the one of REDIS_URL where it answers, else a project-local redis-server (no persistence).
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Redis from 'ioredis';
import type { Probe } from './postgres';
import { errorMessage, InfraError, isAlive, isLocalHost, isOurProcess, log, saveStarted, sleep, type StartedState, tail, tcpOpen, which } from './processes';
import { INFRA_DIR, REDIS_URL } from './settings';

export const redisPaths = {
  dir: path.join(INFRA_DIR, 'redis'),
  pid: path.join(INFRA_DIR, 'redis', 'redis.pid'),
  log: path.join(INFRA_DIR, 'redis', 'redis.log'),
};

/** The server's version when Redis answers PING; else whether it is down (not there) or refused us. */
export async function probeRedis(url: string = REDIS_URL): Promise<Probe> {
  const client = new Redis(url, { lazyConnect: true, connectTimeout: 1500, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  client.on('error', () => undefined); // the failed connect() below reports it
  try {
    await client.connect();
    await client.ping();
    const info = await client.info('server').catch(() => '');
    return { ok: true, version: /redis_version:(\S+)/.exec(info)?.[1] ?? '?' };
  } catch (error) {
    return { ok: false, down: !/NOAUTH|WRONGPASS|ERR/.test(errorMessage(error)), error: errorMessage(error) };
  } finally {
    client.disconnect();
  }
}

/** Uses the Redis that answers, else starts a project-local one. */
export async function redisUp(state: StartedState): Promise<void> {
  const probe = await probeRedis();
  const url = new URL(REDIS_URL);
  if (probe.ok) {
    const ours = state.redis && isOurProcess(state.redis.pid, 'redis-server');
    log('redis', `running at ${url.host} (Redis ${probe.version}${ours ? ', started by this project' : ''})`);
    return;
  }
  if (!probe.down) throw new InfraError(`Redis at ${url.host} answered but refused: ${probe.error} (check REDIS_URL)`);
  if (!isLocalHost(url.hostname)) throw new InfraError(`no Redis at ${url.host} (REDIS_URL) and it is not a local address: start it or set REDIS_URL`);
  const server = which('redis-server');
  if (!server) throw new InfraError(`no Redis at ${url.host}: install redis (apt-get install redis-server) or set REDIS_URL`);
  const port = Number(url.port) || 6379;
  if (await tcpOpen('127.0.0.1', port)) throw new InfraError(`port ${port} is in use but Redis does not answer PING there: free it or set REDIS_URL`);

  mkdirSync(redisPaths.dir, { recursive: true });
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--dir', redisPaths.dir];
  if (url.password) args.push('--requirepass', decodeURIComponent(url.password));
  const out = openSync(redisPaths.log, 'a');
  const child = spawn(server, args, { cwd: redisPaths.dir, detached: true, stdio: ['ignore', out, out] });
  closeSync(out);
  child.on('error', () => undefined); // a failed spawn shows as a server that never answers, reported below
  child.unref();
  writeFileSync(redisPaths.pid, `${child.pid}\n`);
  state.redis = { mode: 'local', pid: child.pid, port, startedAt: new Date().toISOString() };
  saveStarted(state);
  const deadline = Date.now() + 15_000;
  for (;;) {
    const p = await probeRedis();
    if (p.ok) {
      log('redis', `started project-local Redis ${p.version} on 127.0.0.1:${port} (pid ${child.pid})`);
      return;
    }
    if (!isAlive(child.pid) || Date.now() > deadline) {
      throw new InfraError(`redis-server (pid ${child.pid}) did not come up on port ${port}:\n${tail(redisPaths.log)}`);
    }
    await sleep(200);
  }
}
