// A throw-away redis-server that asks what a managed one asks: a password (requirepass) and TLS,
// its certificate signed by a private CA; no plain port. The tests start one to prove the
// reconciliation service's queues work with `rediss://` and never leak the password.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { makeServerCertificate } from './certificates';
import { InfraError, which } from './processes';

export interface SecureRedis {
  /** `rediss://:<password>@127.0.0.1:<port>` */
  url: string;
  caFile: string;
  password: string;
  stop(): Promise<void>;
}

/** Starts redis-server on `port` (127.0.0.1), TLS only, with requirepass; resolves once it listens. */
export async function startSecureRedis(port: number): Promise<SecureRedis> {
  const binary = which('redis-server');
  if (!binary) throw new InfraError('no redis-server: install redis-server (apt-get install redis-server) to start a Redis with TLS');
  const dir = mkdtempSync(path.join(tmpdir(), 'secure-redis-'));
  const password = randomBytes(18).toString('base64url');
  const certificate = await makeServerCertificate(dir, 'redis', 2);
  const args = [
    '-', '--port', '0', '--tls-port', String(port), '--bind', '127.0.0.1', '--tls-cert-file', certificate.cert, '--tls-key-file', certificate.key,
    '--tls-ca-cert-file', certificate.ca, '--tls-auth-clients', 'no', '--save', '', '--appendonly', 'no', '--dir', dir,
  ];
  // The password goes in on stdin (a config file of one line), never on the command line where `ps` shows it.
  const child = spawn(binary, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  child.stdin.end(`requirepass ${password}\n`);
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new InfraError(`redis-server did not start within 20 s:\n${output}`)), 20_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new InfraError(`redis-server exited (${code}) during start-up:\n${output}`));
    });
  });
  child.removeAllListeners('exit');
  return {
    url: `rediss://:${encodeURIComponent(password)}@127.0.0.1:${port}`,
    caFile: certificate.ca,
    password,
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
