// More instances of the reconciliation service for bench:reconcile --instances: each its own
// process (the real main.ts) on the bench's database and queues, so its workers take full-scan
// ranges as a second machine's would (on this machine they share its cores).
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { eventually, freePort, repoRoot } from '@commerce/testing';

export class ExtraInstances {
  private readonly running: ChildProcess[] = [];

  constructor(private readonly env: Record<string, string>) {}

  /** Starts or stops processes until there are `extra` of them, each healthy before it counts. */
  async scaleTo(extra: number): Promise<void> {
    while (this.running.length > extra) await stop(this.running.pop() as ChildProcess);
    while (this.running.length < extra) {
      const port = await freePort();
      const child = spawn(process.execPath, ['-r', '@swc-node/register', path.join(__dirname, '../src/main.ts')], {
        cwd: repoRoot,
        env: { ...process.env, ...this.env, PORT: String(port) },
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      this.running.push(child);
      await eventually(async () => expect200((await fetch(`http://127.0.0.1:${port}/health/live`)).status), { timeoutMs: 120_000, intervalMs: 500 });
    }
  }

  /** CPU-seconds (user + system, every thread) the running instances have used so far. */
  cpuSeconds(): number {
    return this.running.reduce((sum, child) => {
      const fields = fs.readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
      return sum + (Number(fields[11]) + Number(fields[12])) / 100;
    }, 0);
  }

  /** Peak resident set of each running instance (VmHWM, MiB), reset by `resetPeaks`. */
  peakRssMiB(): number[] {
    return this.running.map((child) => Math.round(Number(/VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1]) / 1024));
  }

  resetPeaks(): void {
    for (const child of this.running) fs.writeFileSync(`/proc/${child.pid}/clear_refs`, '5');
  }

  /** The pids, so the bench does not count them among the five services. */
  pids(): number[] {
    return this.running.map((child) => child.pid as number);
  }

  stop(): Promise<void> {
    return this.scaleTo(0);
  }
}

function expect200(status: number): void {
  if (status !== 200) throw new Error(`health answered ${status}`);
}

/** SIGTERM (a graceful stop: its ranges in flight are handed back), SIGKILL after 30 s. */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  await exited;
  clearTimeout(timer);
}
