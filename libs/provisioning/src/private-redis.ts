// A redis-server of one caller's own (the soak's), on a port of its own, that the caller may stop
// and start again as a fault: never the machine's Redis, which other people and processes use.
// Its data is kept in an append-only file, so a restart keeps the queues, as a managed Redis does.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { InfraError, which } from './processes';

export interface PrivateRedis {
  /** `redis://127.0.0.1:<port>` */
  url: string;
  /** The current redis-server's pid. */
  pid(): number;
  /** SIGKILL of the server, then a new one on the same port and data after `downMs`; resolves once it listens. */
  restart(downMs: number): Promise<{ killedPid: number; pid: number }>;
  /** Stops the server and deletes its data. */
  stop(): Promise<void>;
}

function launch(binary: string, port: number, dir: string): Promise<ChildProcess> {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'yes', '--appendfsync', 'always', '--dir', dir];
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new InfraError(`redis-server did not start within 20 s on port ${port}:\n${output}`)), 20_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        child.stdout?.removeAllListeners('data').resume();
        child.stderr?.removeAllListeners('data').resume();
        resolve(child);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new InfraError(`redis-server exited (${code}) during start-up on port ${port}:\n${output}`));
    });
  });
}

const exited = (child: ChildProcess) => (child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise<void>((resolve) => child.once('exit', () => resolve())));

/** Starts redis-server on 127.0.0.1:`port` with its data in a temporary folder; resolves once it listens. */
export async function startPrivateRedis(port: number): Promise<PrivateRedis> {
  const binary = which('redis-server');
  if (!binary) throw new InfraError('no redis-server: install redis-server (apt-get install redis-server)');
  const dir = mkdtempSync(path.join(tmpdir(), 'private-redis-'));
  let child = await launch(binary, port, dir);
  return {
    url: `redis://127.0.0.1:${port}`,
    pid: () => child.pid as number,
    async restart(downMs) {
      const killedPid = child.pid as number;
      child.kill('SIGKILL');
      await exited(child);
      await new Promise((resolve) => setTimeout(resolve, downMs));
      child = await launch(binary, port, dir);
      return { killedPid, pid: child.pid as number };
    },
    async stop() {
      child.kill('SIGTERM');
      await exited(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
