/**
 * CPU time of processes from /proc (Linux): utime+stime of /proc/<pid>/stat, in clock ticks.
 * Parsing and accounting are pure; the readers below them touch /proc.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

export interface ProcessTicks {
  /** `<pid>:<starttime>`: a pid the kernel reuses for another process is another key. */
  key: string;
  /** utime + stime, clock ticks. */
  ticks: number;
}

/** utime+stime and the start time of one /proc/<pid>/stat line. */
export function parseStat(pid: number, text: string): ProcessTicks {
  // The command name (field 2) is in parentheses and may hold spaces and parentheses itself.
  const fields = text.slice(text.lastIndexOf(')') + 2).trim().split(/\s+/);
  // fields[0] is field 3 (state): utime is field 14, stime 15, starttime 22.
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) throw new Error(`unreadable /proc/${pid}/stat: ${text.slice(0, 80)}`);
  return { key: `${pid}:${fields[19]}`, ticks: utime + stime };
}

/** Busy ticks of the whole machine (every core) from /proc/stat's first line, steal apart. */
export function parseMachineStat(text: string): { busy: number; steal: number } {
  const [, user, nice, system, , , irq, softirq, steal] = text.split('\n')[0].trim().split(/\s+/).map(Number);
  return { busy: user + nice + system + irq + softirq, steal };
}

/**
 * One group's CPU over a step (the services', Postgres backends' ...): the first sample is the
 * baseline, later samples keep each process's last value, so a process that exits before the end
 * keeps what it used until its last sample, and one born during the step counts from zero.
 */
export class CpuAccount {
  private readonly baseline = new Map<string, number>();
  private readonly lastSeen = new Map<string, number>();
  private started = false;

  add(sample: readonly ProcessTicks[]): void {
    for (const { key, ticks } of sample) {
      if (!this.started) this.baseline.set(key, ticks);
      this.lastSeen.set(key, ticks);
    }
    this.started = true;
  }

  /** Ticks used since the first sample. */
  ticks(): number {
    let total = 0;
    for (const [key, ticks] of this.lastSeen) total += ticks - (this.baseline.get(key) ?? 0);
    return total;
  }

  /** How many distinct processes were seen. */
  processes(): number {
    return this.lastSeen.size;
  }
}

/** Inodes of the sockets listening on `port` in a /proc/net/tcp or tcp6 table. */
export function listeningInodes(table: string, port: number): string[] {
  const inodes: string[] = [];
  for (const line of table.split('\n').slice(1)) {
    const cols = line.trim().split(/\s+/);
    if (cols.length < 10) continue;
    const localPort = Number.parseInt(cols[1].split(':').pop() ?? '', 16);
    if (localPort === port && cols[3] === '0A') inodes.push(cols[9]);
  }
  return inodes;
}

/** Clock ticks per second (getconf CLK_TCK; 100 on every common Linux). */
export function clockTicksPerSecond(): number {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100; // no getconf: Linux has used 100 on every common architecture for decades
  }
}

/** The current ticks of these pids; those gone already are left out. */
export function sampleProcesses(pids: readonly number[]): ProcessTicks[] {
  const out: ProcessTicks[] = [];
  for (const pid of pids) {
    try {
      out.push(parseStat(pid, readFileSync(`/proc/${pid}/stat`, 'utf8')));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' && (error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
  }
  return out;
}

export function sampleMachine(): { busy: number; steal: number } {
  return parseMachineStat(readFileSync('/proc/stat', 'utf8'));
}

/**
 * The process listening on a local TCP port (Kafka's broker, Redis), or undefined when this user
 * cannot see it (another user's sockets need root to map to a pid).
 */
export function pidListeningOn(port: number): number | undefined {
  const inodes = new Set(
    ['/proc/net/tcp', '/proc/net/tcp6'].flatMap((table) => {
      try {
        return listeningInodes(readFileSync(table, 'utf8'), port);
      } catch {
        return []; // no IPv6 table on this kernel
      }
    }),
  );
  if (inodes.size === 0) return undefined;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${entry}/fd`);
    } catch {
      continue; // gone, or another user's
    }
    for (const fd of fds) {
      try {
        const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${entry}/fd/${fd}`));
        if (match && inodes.has(match[1])) return Number(entry);
      } catch {
        // the descriptor closed while we looked
      }
    }
  }
  return undefined;
}
