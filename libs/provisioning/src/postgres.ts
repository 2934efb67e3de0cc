// Postgres: the server of DATABASE_URL where it answers, else a project-local cluster (initdb in
// .infra/postgres) when the binaries are installed; one database per service.
import { existsSync, mkdirSync, readdirSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { errorMessage, InfraError, isLocalHost, isOurProcess, log, readPid, rel, run, saveStarted, type StartedState, tail, tcpOpen, which } from './processes';
import { DATABASE_URL, DATABASES, INFRA_DIR, PGPORT_LOCAL } from './settings';

const pgPaths = {
  dir: path.join(INFRA_DIR, 'postgres'),
  data: path.join(INFRA_DIR, 'postgres', 'data'),
  run: path.join(INFRA_DIR, 'postgres', 'run'),
  log: path.join(INFRA_DIR, 'postgres', 'postgres.log'),
};
const PG_DOWN_CODES = new Set(['ECONNREFUSED', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'ECONNRESET', 'EAI_AGAIN', 'ENETUNREACH', '57P03']);

export type Probe = { ok: true; version: string } | { ok: false; down: boolean; error: string };

/** The server's version when Postgres answers; else whether it is down (not there) or refused us. */
export async function probePostgres(url: string = DATABASE_URL): Promise<Probe> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  client.on('error', () => undefined); // a dropped connection is reported by the query that fails
  try {
    await client.connect();
    const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
    return { ok: true, version: rows[0]?.server_version ?? '?' };
  } catch (error) {
    const code = (error as { code?: string }).code ?? '';
    const down = PG_DOWN_CODES.has(code) || /timeout|terminated|ECONNREFUSED/i.test(errorMessage(error));
    return { ok: false, down, error: errorMessage(error) };
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Creates the databases that are missing (idempotent; concurrent creators are fine). Returns the names created. */
export async function ensureDatabases(names: readonly string[] = DATABASES, serverUrl: string = DATABASE_URL): Promise<string[]> {
  const client = new Client({ connectionString: serverUrl, connectionTimeoutMillis: 5000 });
  client.on('error', () => undefined); // a dropped connection is reported by the query that fails
  try {
    await client.connect();
  } catch (error) {
    throw new InfraError(`Postgres unreachable at ${new URL(serverUrl).host} (DATABASE_URL): ${errorMessage(error)}. Try \`npm run infra:up\`.`);
  }
  try {
    const { rows } = await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname = ANY($1::text[])', [names]);
    const existing = new Set(rows.map((r) => r.datname));
    const created: string[] = [];
    for (const name of names.filter((n) => !existing.has(n))) {
      if (!/^[a-z0-9_]+$/i.test(name)) throw new InfraError(`refusing to create database with unusual name "${name}"`);
      try {
        await client.query(`CREATE DATABASE "${name}"`);
        created.push(name);
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (code !== '42P04' && code !== '23505') throw error; // else created concurrently: what we wanted
      }
    }
    return created;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The directory of initdb and pg_ctl: pg_ctl's on PATH, else Debian's newest /usr/lib/postgresql/<n>/bin. */
export function findPgBin(): string | null {
  const fromPath = which('pg_ctl');
  const dirs: string[] = fromPath ? [path.dirname(realpathSync(fromPath))] : [];
  if (existsSync('/usr/lib/postgresql')) {
    const versions = readdirSync('/usr/lib/postgresql').filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
    dirs.push(...versions.map((v) => `/usr/lib/postgresql/${v}/bin`));
  }
  return dirs.find((d) => existsSync(path.join(d, 'initdb')) && existsSync(path.join(d, 'pg_ctl'))) ?? null;
}

function localPostgresUrl(): string {
  const url = new URL(DATABASE_URL);
  url.port = String(PGPORT_LOCAL);
  return url.toString();
}

async function startLocalPostgres(state: StartedState): Promise<string> {
  const url = new URL(DATABASE_URL);
  if (!isLocalHost(url.hostname)) throw new InfraError(`no Postgres at ${url.host} (DATABASE_URL) and it is not a local address: start it or set DATABASE_URL`);
  const bin = findPgBin();
  if (!bin) throw new InfraError(`no Postgres at ${url.host}: install postgresql (apt-get install postgresql) or set DATABASE_URL`);
  if (await tcpOpen('127.0.0.1', PGPORT_LOCAL)) {
    throw new InfraError(`port ${PGPORT_LOCAL} is in use but Postgres does not answer there: free it, or set PGPORT_LOCAL and DATABASE_URL`);
  }
  const superuser = decodeURIComponent(url.username || 'postgres');
  mkdirSync(pgPaths.run, { recursive: true });

  // initdb/postgres refuse to run as root: run them as the "postgres" OS user and hand it the directory.
  let asUser: string[] = [];
  if (process.getuid?.() === 0) {
    const runuser = which('runuser');
    if (!runuser || (await run('id', ['-u', 'postgres'])).code !== 0) {
      throw new InfraError('running as root but there is no "postgres" OS user (or no runuser) to run initdb/postgres as: run as a normal user, or install postgresql');
    }
    await run('chown', ['-R', 'postgres:', pgPaths.dir]);
    if ((await run(runuser, ['-u', 'postgres', '--', 'test', '-w', pgPaths.dir])).code !== 0) {
      throw new InfraError(`OS user "postgres" cannot write ${pgPaths.dir} (a parent directory is not traversable): set INFRA_DIR to a path it can reach`);
    }
    asUser = [runuser, '-u', 'postgres', '--'];
  }
  const exec = (cmd: string, args: string[], timeoutMs: number) =>
    asUser.length > 0 ? run(asUser[0] as string, [...asUser.slice(1), cmd, ...args], { cwd: pgPaths.dir, timeoutMs }) : run(cmd, args, { cwd: pgPaths.dir, timeoutMs });

  if (!existsSync(path.join(pgPaths.data, 'PG_VERSION'))) {
    log('postgres', `no Postgres at ${url.host}: initdb a project-local cluster in ${rel(pgPaths.data)}`);
    const r = await exec(path.join(bin, 'initdb'), ['-D', pgPaths.data, '-U', superuser, '-A', 'trust', '-E', 'UTF8', '--no-sync'], 180_000);
    if (r.code !== 0) throw new InfraError(`initdb failed (exit ${r.code}):\n${r.stdout}${r.stderr}`);
  }
  const options = `-p ${PGPORT_LOCAL} -c listen_addresses=127.0.0.1 -k ${pgPaths.run} -c fsync=off`;
  const r = await exec(path.join(bin, 'pg_ctl'), ['-D', pgPaths.data, '-l', pgPaths.log, '-o', options, '-w', '-t', '60', 'start'], 90_000);
  if (r.code !== 0) throw new InfraError(`pg_ctl start failed (exit ${r.code}):\n${r.stdout}${r.stderr}\n${tail(pgPaths.log)}`);
  const pid = readPid(path.join(pgPaths.data, 'postmaster.pid'));
  state.postgres = { mode: 'local', pid, port: PGPORT_LOCAL, url: localPostgresUrl(), dataDir: rel(pgPaths.data), startedAt: new Date().toISOString() };
  saveStarted(state);
  log('postgres', `started project-local Postgres on 127.0.0.1:${PGPORT_LOCAL} (pid ${pid}, log ${rel(pgPaths.log)})`);
  if (PGPORT_LOCAL !== (Number(url.port) || 5432)) log('postgres', `note: export DATABASE_URL=${localPostgresUrl()}`);
  return localPostgresUrl();
}

/** Uses the Postgres that answers, else starts a project-local one; then creates the databases. */
export async function postgresUp(state: StartedState): Promise<void> {
  let url = DATABASE_URL;
  let probe = await probePostgres(url);
  if (!probe.ok && state.postgres?.url && isOurProcess(state.postgres.pid, 'postgres')) {
    url = state.postgres.url;
    probe = await probePostgres(url);
  }
  if (probe.ok) {
    const ours = state.postgres && isOurProcess(state.postgres.pid, 'postgres');
    log('postgres', `running at ${new URL(url).host} (PostgreSQL ${probe.version}${ours ? ', started by this project' : ''})`);
  } else if (!probe.down) {
    throw new InfraError(`Postgres at ${new URL(url).host} answered but refused the connection: ${probe.error} (check DATABASE_URL)`);
  } else {
    url = await startLocalPostgres(state);
  }
  const created = await ensureDatabases(DATABASES, url);
  log('postgres', created.length > 0 ? `created database(s): ${created.join(', ')}` : `all ${DATABASES.length} databases present`);
}
