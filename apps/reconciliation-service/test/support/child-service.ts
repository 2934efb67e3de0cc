import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { eventually, freePort, repoRoot } from '@commerce/testing';
import type { TestEnvironment } from './reconciliation-under-test';

/** The service as its own process (the real main.ts), so it can be killed for real. */
export async function startChild(environment: TestEnvironment, env: Record<string, string> = {}): Promise<{ process: ChildProcess; baseUrl: string }> {
  const port = await freePort();
  const processHandle = spawn(process.execPath, ['-r', '@swc-node/register', path.join(__dirname, '../../src/main.ts')], {
    cwd: repoRoot,
    env: { ...process.env, ...environment.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  await eventually(async () => expect((await fetch(`${baseUrl}/health/live`)).status).toBe(200), { timeoutMs: 90_000, intervalMs: 250 });
  return { process: processHandle, baseUrl };
}

/** SIGKILLs the child and waits for it to be gone. */
export async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}
