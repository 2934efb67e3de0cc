// What bench:reconcile reads from /proc: the machine's busy CPU, each process's, peak memory.
import fs from 'node:fs';

/** CPU-seconds the machine's cores were busy, and how many of them the hypervisor gave to others (steal). */
export function machineCpuSeconds(): { busy: number; steal: number } {
  const [, user, nice, system, , , irq, softirq, steal] = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
  return { busy: (user + nice + system + irq + softirq + steal) / 100, steal: steal / 100 };
}

/** The processes this one started whose command line runs `apps/<name>/src/main.ts`. */
export function childPids(): Map<string, number> {
  const pids = new Map<string, number>();
  for (const task of fs.readdirSync('/proc/self/task')) {
    for (const pid of fs.readFileSync(`/proc/self/task/${task}/children`, 'utf8').split(' ').filter(Boolean)) {
      const command = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      const app = /apps\/([a-z-]+)\/src\/main\.ts/.exec(command)?.[1];
      if (app) pids.set(app, Number(pid));
    }
  }
  return pids;
}

/** CPU seconds (user + system, all threads) a process has used so far. */
export function cpuSeconds(pid: number | 'self'): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100 on Linux)
}

/** This process's peak resident set (every thread, the scan's worker threads included) since the last reset. */
export const peakRssMiB = () => Math.round(Number(/VmHWM:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'))?.[1]) / 1024);
export const resetPeakRss = () => fs.writeFileSync('/proc/self/clear_refs', '5');

