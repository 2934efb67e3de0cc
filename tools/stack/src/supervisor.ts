// Supervision: an instance whose process dies without being asked to is reported at once and
// started again with backoff, so one killed service does not leave the orders waiting silently.
import { describeExit, type ProcessExit, ServiceProcess, type ServiceProcessOptions } from './service-process';

export type InstanceState = 'starting' | 'running' | 'restarting' | 'stopped';

/** What the stack's status shows of one instance. */
export interface InstanceStatus {
  /** `order-service`, or `order-service#2` for a second replica. */
  name: string;
  app: string;
  /** 1-based. */
  replica: number;
  url: string;
  /** The current process's id (0 while waiting to restart). */
  pid: number;
  state: InstanceState;
  /** Restarts after a death, plus restarts asked for. */
  restarts: number;
  /** How the last process that died without being asked to ended, and when. */
  lastDeath: (ProcessExit & { at: string }) | null;
}

export interface SupervisionOptions {
  /** First pause before restarting a dead instance; doubles on each death in a row. @defaultValue 1000 */
  restartBackoffMs?: number;
  /** Longest pause before a restart. @defaultValue 30000 */
  maxRestartBackoffMs?: number;
  /** An instance up this long is stable again: its next death restarts after the first pause. @defaultValue 30000 */
  stableAfterMs?: number;
  /** Where deaths and restarts are reported. @defaultValue a `[stack] ` line on stderr */
  report?: (message: string) => void;
}

export interface SupervisedInstanceOptions extends ServiceProcessOptions, SupervisionOptions {
  name: string;
  replica: number;
  healthPath: string;
  healthTimeoutMs: number;
  stopTimeoutMs: number;
}

const defaultReport = (message: string) => void process.stderr.write(`[stack] ${message}\n`);

/** One instance of an app: its current process, restarted when it dies until the stack stops. */
export class SupervisedInstance {
  private process: ServiceProcess;
  private state: InstanceState = 'starting';
  private restarts = 0;
  private deathsInARow = 0;
  private lastDeath: InstanceStatus['lastDeath'] = null;
  private startedAt = Date.now();
  private pendingRestart: NodeJS.Timeout | null = null;
  private stopping = false;
  private readonly report: (message: string) => void;

  constructor(private readonly options: SupervisedInstanceOptions) {
    this.report = options.report ?? defaultReport;
    this.process = this.spawn();
  }

  get name(): string {
    return this.options.name;
  }

  get url(): string {
    return this.process.url;
  }

  /** Waits for the first process to answer on the health path (start-up: a death here fails the start). */
  async waitHealthy(signal?: AbortSignal): Promise<void> {
    await this.process.waitHealthy(this.options.healthPath, this.options.healthTimeoutMs, signal);
    if (this.state === 'starting') this.state = 'running';
  }

  status(): InstanceStatus {
    const { name, app, replica } = this.options;
    return { name, app, replica, url: this.process.url, pid: this.process.alive ? this.process.pid : 0, state: this.state, restarts: this.restarts, lastDeath: this.lastDeath };
  }

  /** Sends a signal to the current process (fault tests, the soak); a death is then handled as any other. */
  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    this.process.kill(signal);
  }

  /** Stops the current process gracefully and starts a new one; resolves when it is healthy. */
  async restart(): Promise<void> {
    await this.pause();
    await this.resume();
  }

  /** First half of a restart: stops the current process gracefully, and nothing starts it again until resume(). */
  async pause(): Promise<void> {
    if (this.stopping) throw new Error(`${this.name} is stopping`);
    this.cancelPendingRestart();
    const old = this.process;
    this.state = 'restarting';
    this.report(`${this.name}: restarting on request (pid ${old.pid})`);
    this.expectedExit = old;
    await old.stop(this.options.stopTimeoutMs);
  }

  /** Second half of a restart: starts a new process; resolves when it is healthy. */
  async resume(): Promise<void> {
    this.restarts++;
    this.process = this.spawn();
    await this.awaitBack(this.process);
  }

  /** Stops supervising and stops the current process (SIGTERM, SIGKILL after stopTimeoutMs). */
  async stop(): Promise<void> {
    this.stopping = true;
    this.cancelPendingRestart();
    await this.process.stop(this.options.stopTimeoutMs);
    this.state = 'stopped';
  }

  /** A process stopped on purpose (restart, stop): its exit is not a death. */
  private expectedExit: ServiceProcess | null = null;

  private spawn(): ServiceProcess {
    const child = new ServiceProcess(this.options);
    this.startedAt = Date.now();
    void child.exited.then((exit) => this.onExit(child, exit));
    return child;
  }

  private onExit(child: ServiceProcess, exit: ProcessExit): void {
    if (this.stopping || child === this.expectedExit || child !== this.process) return;
    const upMs = Date.now() - this.startedAt;
    this.deathsInARow = upMs >= (this.options.stableAfterMs ?? 30_000) ? 1 : this.deathsInARow + 1;
    const base = this.options.restartBackoffMs ?? 1000;
    const delayMs = Math.min(base * 2 ** (this.deathsInARow - 1), this.options.maxRestartBackoffMs ?? 30_000);
    this.lastDeath = { ...exit, at: new Date().toISOString() };
    this.state = 'restarting';
    this.report(`${this.name} (pid ${child.pid}) died: ${describeExit(exit)}; restarting in ${(delayMs / 1000).toFixed(1)} s`);
    this.pendingRestart = setTimeout(() => {
      this.pendingRestart = null;
      if (this.stopping) return;
      this.restarts++;
      this.process = this.spawn();
      this.awaitBack(this.process).catch(() => undefined); // a death while starting is reported by onExit
    }, delayMs);
  }

  /** After a restart: reports the instance back once it answers, or why it did not. */
  private async awaitBack(child: ServiceProcess): Promise<void> {
    const started = Date.now();
    try {
      await child.waitHealthy(this.options.healthPath, this.options.healthTimeoutMs);
    } catch (error) {
      if (child.alive && child === this.process) this.report(`${this.name} (pid ${child.pid}) is not healthy: ${(error as Error).message}`);
      throw error;
    }
    if (child !== this.process || this.stopping) return;
    this.state = 'running';
    this.report(`${this.name} is back (pid ${child.pid}, healthy ${((Date.now() - started) / 1000).toFixed(1)} s after its start, restart ${this.restarts})`);
  }

  private cancelPendingRestart(): void {
    if (this.pendingRestart) clearTimeout(this.pendingRestart);
    this.pendingRestart = null;
  }
}
