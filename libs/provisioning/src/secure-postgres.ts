// A throw-away Postgres that asks what a managed one asks: a password (SCRAM) and TLS on every
// connection (hostssl only), its certificate signed by a private CA made here with openssl. The
// tests start one to prove the services connect with `sslmode=verify-full` and never leak the password.
import { randomBytes } from 'node:crypto';
import { appendFileSync, chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { makeServerCertificate } from './certificates';
import { findPgBin } from './postgres';
import { InfraError, run } from './processes';

export interface SecurePostgres {
  /** `postgres://commerce:<password>@127.0.0.1:<port>/postgres?sslmode=verify-full&sslrootcert=<ca>` */
  url: string;
  port: number;
  caFile: string;
  user: string;
  password: string;
  /** Stops the server and deletes its files. */
  stop(): Promise<void>;
}

function pgBin(): string {
  const found = findPgBin();
  if (!found) throw new InfraError('no initdb: install postgresql (apt-get install postgresql) to start a Postgres with TLS');
  return found;
}

/** Starts a Postgres on `port` (127.0.0.1) that accepts only TLS connections with a password. */
export async function startSecurePostgres(port: number): Promise<SecurePostgres> {
  const bin = pgBin();
  const dir = mkdtempSync(path.join(tmpdir(), 'secure-pg-'));
  const data = path.join(dir, 'data');
  const user = 'commerce';
  const password = randomBytes(18).toString('base64url');
  const asPostgres = process.getuid?.() === 0 ? ['runuser', '-u', 'postgres', '--'] : [];
  const exec = async (cmd: string, args: string[]) => {
    const [first, ...rest] = [...asPostgres, cmd, ...args];
    const result = await run(first as string, rest, { cwd: dir, timeoutMs: 120_000 });
    if (result.code !== 0) throw new InfraError(`${path.basename(cmd)} failed (exit ${result.code}): ${result.stderr.replaceAll(password, '***').trim()}`);
  };

  writeFileSync(path.join(dir, 'pwfile'), `${password}\n`, { mode: 0o600 });
  const certificate = await makeServerCertificate(dir, 'server', 2);
  chmodSync(certificate.key, 0o600);
  if (asPostgres.length > 0) await run('chown', ['-R', 'postgres:', dir]);
  chmodSync(dir, 0o755);

  await exec(path.join(bin, 'initdb'), ['-D', data, '-U', user, '--pwfile', path.join(dir, 'pwfile'), '--auth', 'scram-sha-256', '-E', 'UTF8', '--no-sync']);
  writeFileSync(path.join(data, 'pg_hba.conf'), ['local all all scram-sha-256', 'hostssl all all 127.0.0.1/32 scram-sha-256', ''].join('\n'));
  appendFileSync(path.join(data, 'postgresql.conf'), [
    '', 'ssl = on', `ssl_cert_file = '${certificate.cert}'`, `ssl_key_file = '${certificate.key}'`,
    "listen_addresses = '127.0.0.1'", `port = ${port}`, `unix_socket_directories = '${dir}'`, 'fsync = off', 'max_connections = 200', '',
  ].join('\n'));
  if (asPostgres.length > 0) await run('chown', ['-R', 'postgres:', dir]);
  await exec(path.join(bin, 'pg_ctl'), ['-D', data, '-l', path.join(dir, 'server.log'), '-w', '-t', '60', 'start']);

  const caFile = certificate.ca;
  return {
    url: `postgres://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres?sslmode=verify-full&sslrootcert=${encodeURIComponent(caFile)}`,
    port,
    caFile,
    user,
    password,
    async stop() {
      await exec(path.join(bin, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', 'stop']).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
