// One app as a child process, `node -r @swc-node/register apps/<app>/src/main.ts`, as production runs it.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { REPO_ROOT } from '@commerce/provisioning';
import { prettyLines } from './pretty-lines';

/** Lines of each app's output kept in memory for error messages. */
const TAIL_LINES = 40;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** `order-service` → `order`, `order-service#2` → `order#2` (the log prefix). */
export const shortName = (app: string): string => app.replace(/-service(?=$|#)/, '');

/**
 * STACK_NODE_ARGS: extra node flags for every instance, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof
 * --cpu-prof-name={app}.cpuprofile" (flags NODE_OPTIONS refuses). `{app}` becomes the instance's
 * name fit for a file name: `order-service` for the first replica, `order-service-2` for the
 * second, so replicas never write the same file.
 */
export function stackNodeArgs(raw: string | undefined, instance: string): string[] {
  const name = instance.replace('#', '-');
  return (raw ?? '').split(' ').filter(Boolean).map((arg) => arg.replaceAll('{app}', name));
}

/** Where an app's output lines go. */
export interface Sink {
  (line: string): void;
  close(): Promise<void>;
}

export interface SinkOptions {
  /** Prefix each output line with `[order]`. @defaultValue true */
  logPrefix?: boolean;
  /** Write each app's output to `<logDir>/<name>.log` instead of stdout. */
  logDir?: string;
  /** Drop the output (the tail is still kept for error messages). @defaultValue false */
  silent?: boolean;
  /** Readable coloured lines instead of JSON on stdout. @defaultValue true when stdout is a terminal (STACK_LOG_FORMAT=json keeps JSON) */
  pretty?: boolean;
}

export function makeSink(app: string, { logPrefix, logDir, silent, pretty }: SinkOptions): Sink {
  if (logDir) {
    fs.mkdirSync(logDir, { recursive: true });
    const file = fs.createWriteStream(path.join(logDir, `${shortName(app).replace('#', '-')}.log`), { flags: 'a' });
    return Object.assign((line: string) => void file.write(`${line}\n`), { close: () => new Promise<void>((resolve) => file.end(resolve)) });
  }
  if (silent) return Object.assign(() => undefined, { close: async () => undefined });
  const prefix = logPrefix === false ? '' : `[${shortName(app)}]`.padEnd(15);
  const readable = pretty ?? (process.stdout.isTTY === true && process.env['STACK_LOG_FORMAT'] !== 'json');
  const format = readable ? prettyLines() : (line: string) => line;
  return Object.assign((line: string) => void process.stdout.write(`${prefix}${format(line)}\n`), { close: async () => undefined });
}

async function isHealthy(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await response.arrayBuffer();
    return response.status === 200;
  } catch {
    return false; // not listening yet: the caller keeps polling until its deadline
  }
}

/** How a process ended: its exit code, or the signal that killed it. */
export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** `code 1` or `SIGKILL`, for reports. */
export const describeExit = (exit: ProcessExit): string => (exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.code}`);

export interface ServiceProcessOptions {
  /** The app's folder name (`order-service`). */
  app: string;
  /** The name this instance is reported under (`order-service#2` for a second replica). @defaultValue app */
  name?: string;
  port: number;
  env: NodeJS.ProcessEnv;
  sink: Sink;
}

/** One app as a child process; its output goes line by line to the sink and into a short tail for error messages. */
export class ServiceProcess {
  readonly app: string;
  readonly name: string;
  readonly url: string;
  private readonly child: ChildProcess;
  private readonly tail: string[] = [];
  private exit: ProcessExit | null = null;
  /** Resolves when the process has exited, with its exit code or the signal that ended it. */
  readonly exited: Promise<ProcessExit>;

  /** The child's process id. */
  get pid(): number {
    return this.child.pid ?? 0;
  }

  constructor({ app, name, port, env, sink }: ServiceProcessOptions) {
    this.app = app;
    this.name = name ?? app;
    this.url = `http://127.0.0.1:${port}`;
    const nodeArgs = stackNodeArgs(process.env['STACK_NODE_ARGS'], this.name);
    this.child = spawn(process.execPath, [...nodeArgs, '-r', '@swc-node/register', path.join('apps', app, 'src', 'main.ts')], {
      cwd: REPO_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.exited = new Promise((resolve) => {
      this.child.on('exit', (code, signal) => {
        this.exit = { code, signal };
        resolve(this.exit);
      });
    });
    for (const stream of [this.child.stdout, this.child.stderr]) {
      if (!stream) continue;
      readline.createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
        this.tail.push(line);
        if (this.tail.length > TAIL_LINES) this.tail.shift();
        sink(line);
      });
    }
  }

  private tailText(): string {
    return this.tail.length > 0 ? this.tail.map((line) => `    ${line}`).join('\n') : '    (no output)';
  }

  /** Polls GET <healthPath> until it answers 200; fails early if the process exits. */
  async waitHealthy(healthPath: string, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (signal?.aborted) throw new Error(`start of ${this.name} aborted`);
      if (this.exit) {
        throw new Error(`${this.name} exited (${describeExit(this.exit)}) before it was healthy. Last output:\n${this.tailText()}`);
      }
      if (await isHealthy(this.url + healthPath)) return;
      await sleep(250);
    }
    throw new Error(`${this.name} did not answer 200 on ${this.url}${healthPath} within ${Math.round(timeoutMs / 1000)} s. Last output:\n${this.tailText()}`);
  }

  /** Whether the process has exited. */
  get alive(): boolean {
    return this.exit === null;
  }

  /** Sends a signal (a fault test's SIGKILL); the supervisor sees the exit like any other. */
  kill(signal: NodeJS.Signals): void {
    if (!this.exit) this.child.kill(signal);
  }

  /** SIGTERM (graceful: the app drains its consumer and flushes its outbox), SIGKILL after timeoutMs. */
  async stop(timeoutMs: number): Promise<void> {
    if (this.exit) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => {
      if (!this.exit) {
        process.stderr.write(`[stack] ${this.name} still running ${timeoutMs / 1000} s after SIGTERM; sending SIGKILL\n`);
        this.child.kill('SIGKILL');
      }
    }, timeoutMs);
    try {
      await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }
}
