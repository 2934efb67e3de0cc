/**
 * CPU time of every process the stack's orders run through, over one step: each service, the
 * Kafka broker, Redis, and the Postgres backends of the stack's databases (which come and go with
 * the pools, so they are looked up and sampled every second), plus the whole machine and the
 * bench itself for reference.
 */
import type { Client } from 'pg';
import { CpuAccount, clockTicksPerSecond, sampleMachine, sampleProcesses } from './proc-cpu';

export interface StackProcesses {
  /** Process id per service. */
  services: Record<string, number>;
  /** The broker's JVM, if found. */
  kafka?: number;
  /** redis-server, if found. */
  redis?: number;
  /** The stack's databases (their backends are Postgres' share). */
  databases: string[];
}

/** CPU-milliseconds per process group over a step. */
export type CpuMs = Record<string, number>;

const TICKS_PER_SECOND = clockTicksPerSecond();
const ticksToMs = (ticks: number) => (ticks * 1000) / TICKS_PER_SECOND;

export class StepCpu {
  private readonly accounts = new Map<string, CpuAccount>();
  private readonly machineStart = sampleMachine();
  private readonly benchStart = process.cpuUsage();
  private timer: NodeJS.Timeout | null = null;
  private sampling: Promise<void> = Promise.resolve();

  private constructor(
    private readonly processes: StackProcesses,
    /** A connection of the bench's own: the backend serving it is left out of Postgres' share. */
    private readonly db: Client,
  ) {}

  /** Takes the baseline samples and samples every `everyMs` until `stop`. */
  static async start(processes: StackProcesses, db: Client, everyMs = 1000): Promise<StepCpu> {
    const cpu = new StepCpu(processes, db);
    await cpu.sample();
    cpu.timer = setInterval(() => {
      cpu.sampling = cpu.sampling.then(() => cpu.sample());
    }, everyMs);
    return cpu;
  }

  private async sample(): Promise<void> {
    const { rows } = await this.db.query<{ pid: number }>(
      'SELECT pid FROM pg_stat_activity WHERE datname = ANY($1) AND pid <> pg_backend_pid()',
      [this.processes.databases],
    );
    const groups: [string, number[]][] = [
      ...Object.entries(this.processes.services).map(([name, pid]): [string, number[]] => [name, [pid]]),
      ...(['kafka', 'redis'] as const).flatMap((name): [string, number[]][] => {
        const pid = this.processes[name];
        return pid === undefined ? [] : [[name, [pid]]]; // not found: no column rather than a zero
      }),
      ['postgres', rows.map((r) => r.pid)],
    ];
    for (const [name, pids] of groups) {
      let account = this.accounts.get(name);
      if (!account) this.accounts.set(name, (account = new CpuAccount()));
      account.add(sampleProcesses(pids));
    }
  }

  /** Stops sampling, takes the last sample, and returns CPU-ms per group (`machine`: every core, others' work too). */
  async stop(): Promise<{ cpuMs: CpuMs; machineStealMs: number; postgresBackends: number }> {
    if (this.timer) clearInterval(this.timer);
    await this.sampling;
    await this.sample();
    const cpuMs: CpuMs = {};
    for (const [name, account] of this.accounts) cpuMs[name] = ticksToMs(account.ticks());
    const bench = process.cpuUsage(this.benchStart);
    cpuMs['bench'] = (bench.user + bench.system) / 1000;
    const machine = sampleMachine();
    cpuMs['machine'] = ticksToMs(machine.busy - this.machineStart.busy);
    return {
      cpuMs,
      machineStealMs: ticksToMs(machine.steal - this.machineStart.steal),
      postgresBackends: this.accounts.get('postgres')?.processes() ?? 0,
    };
  }
}
