/**
 * pgbench's tpcb-like transactions/s on this machine's Postgres, on a scratch database created and
 * dropped here: a yardstick for the stack's orders/s (both on the same cores and server).
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { Client } from 'pg';

const run = promisify(execFile);

export type PgbenchResult = { tps: number; clients: number; seconds: number } | { skipped: string };

/** tps of pgbench's summary (the figure without the initial connection time). */
export function parsePgbenchTps(output: string): number {
  const match = /^tps = ([\d.]+) \(without initial connection time\)/m.exec(output);
  if (!match) throw new Error(`no tps in pgbench's output:\n${output.slice(-500)}`);
  return Number(match[1]);
}

export async function measurePgbench(serverUrl: string, seconds: number, clients = 4): Promise<PgbenchResult> {
  try {
    await run('pgbench', ['--version']);
  } catch {
    return { skipped: 'pgbench not found: install the Postgres client programs (Debian/Ubuntu: apt-get install postgresql-client)' };
  }
  const name = `bench_pgbench_${randomUUID().replace(/-/g, '').slice(0, 8)}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    await run('pgbench', ['--initialize', '--quiet', '--scale=1', url.toString()]);
    const { stdout } = await run('pgbench', ['--builtin=tpcb-like', `--client=${clients}`, `--jobs=${Math.min(clients, 2)}`, `--time=${seconds}`, url.toString()]);
    return { tps: parsePgbenchTps(stdout), clients, seconds };
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  }
}
