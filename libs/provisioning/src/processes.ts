// Process plumbing for the local infrastructure: running commands, probing ports and pids, the
// record of what this project started (.infra/started.json) and the lock that serialises `up`.
import { spawn, type SpawnOptions } from 'node:child_process';
import { accessSync, closeSync, constants, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { INFRA_DIR, REPO_ROOT } from './settings';

/** A failure with a message written for the person at the terminal (printed without a stack). */
export class InfraError extends Error {
  override name = 'InfraError';
}

/** One line of progress on stdout (not console.log, so a jest suite stopping the broker stays quiet). */
export const log = (component: string, message: string): void => {
  process.stdout.write(`[infra] ${component.padEnd(8)} ${message}\n`);
};
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
/** A path relative to the repository when it is inside it (for messages). */
export const rel = (p: string): string => {
  const r = path.relative(REPO_ROOT, p);
  return r.startsWith('..') ? p : r || '.';
};
export const isLocalHost = (host: string): boolean => ['127.0.0.1', 'localhost', '::1', '[::1]', ''].includes(host);
export const errorMessage = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export function which(cmd: string): string | null {
  for (const dir of (process.env['PATH'] || '').split(path.delimiter)) {
    if (!dir) continue;
    const file = path.join(dir, cmd);
    try {
      accessSync(file, constants.X_OK);
      if (statSync(file).isFile()) return file;
    } catch {
      continue; // not here
    }
  }
  return null;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion, capturing output. Never throws for a non-zero exit. */
export function run(cmd: string, args: string[], { timeoutMs = 0, ...options }: SpawnOptions & { timeoutMs?: number } = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
    } catch (error) {
      resolve({ code: -1, stdout, stderr: String(error) });
      return;
    }
    const timer = timeoutMs ? setTimeout(() => child.kill('SIGKILL'), timeoutMs) : null;
    child.stdout?.on('data', (d) => (stdout += d));
    child.stderr?.on('data', (d) => (stderr += d));
    child.on('error', (error) => {
      if (timer) clearTimeout(timer);
      resolve({ code: -1, stdout, stderr: stderr + String(error) });
    });
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}

/** True when something accepts TCP connections on host:port. */
export function tcpOpen(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export function isAlive(pid: number | null | undefined): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    // an exited detached child stays a zombie until its (re)parent reaps it: count that as gone
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true; // no /proc (macOS): trust kill(0)
  }
}

/** Alive and (where we can tell) still the process we started, not a recycled pid. */
export function isOurProcess(pid: number | null | undefined, marker: string): boolean {
  if (!isAlive(pid)) return false;
  let cmd: string | null;
  try {
    cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    cmd = null; // no /proc: cannot tell
  }
  return cmd === null || cmd === '' || cmd.includes(marker);
}

export function readPid(file: string): number | null {
  try {
    const pid = Number.parseInt(readFileSync(file, 'utf8').split('\n')[0] ?? '', 10);
    return Number.isFinite(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/** The last lines of a log file ('' when there is none). */
export function tail(file: string, lines = 15): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/** Signals a process, waits up to timeoutMs for it to exit, then SIGKILLs it. */
export async function stopPid(pid: number, { signal = 'SIGTERM' as NodeJS.Signals, timeoutMs = 20_000 } = {}): Promise<string> {
  if (!isAlive(pid)) return 'not running';
  try {
    process.kill(pid, signal);
  } catch {
    return 'not running';
  }
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return `stopped (${signal})`;
    await sleep(200);
  }
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    return 'stopped'; // exited between the deadline and the kill
  }
  for (let i = 0; i < 25 && isAlive(pid); i++) await sleep(200);
  return `killed (SIGKILL after ${timeoutMs / 1000}s)`;
}

// ------------------------------------------------------------------ what this project started
export interface StartedProcess {
  mode: 'java' | 'docker' | 'local';
  pid?: number | null;
  startedAt: string;
  [detail: string]: unknown;
}

/** What `up` started, so `down` stops only that. */
export interface StartedState {
  kafka?: StartedProcess;
  postgres?: StartedProcess & { url?: string };
  redis?: StartedProcess;
  zipkin?: StartedProcess;
}

export const STARTED_FILE = path.join(INFRA_DIR, 'started.json');
const LOCK_FILE = path.join(INFRA_DIR, 'up.lock');

export function readStarted(): StartedState {
  try {
    return JSON.parse(readFileSync(STARTED_FILE, 'utf8')) as StartedState;
  } catch {
    return {};
  }
}

export function saveStarted(state: StartedState): void {
  if (Object.keys(state).length === 0) {
    rmSync(STARTED_FILE, { force: true });
    return;
  }
  mkdirSync(path.dirname(STARTED_FILE), { recursive: true });
  const tmp = `${STARTED_FILE}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(tmp, STARTED_FILE);
}

/** Serialises concurrent `up` runs (e.g. parallel test targets) so only one starts a broker. */
export async function withLock<T>(fn: () => Promise<T>): Promise<T> {
  mkdirSync(INFRA_DIR, { recursive: true });
  const deadline = Date.now() + 180_000;
  let announced = false;
  for (;;) {
    try {
      const fd = openSync(LOCK_FILE, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readPid(LOCK_FILE);
      if (!isAlive(holder)) {
        rmSync(LOCK_FILE, { force: true });
        continue;
      }
      if (Date.now() > deadline) throw new InfraError(`another "infra up" (pid ${holder}) holds ${rel(LOCK_FILE)}`);
      if (!announced) log('infra', `waiting for another "infra up" (pid ${holder}) to finish...`);
      announced = true;
      await sleep(500);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(LOCK_FILE, { force: true });
  }
}
