// A private CA and a server certificate for 127.0.0.1 and localhost, made with openssl: what the
// project's TLS listeners (Kafka's SASL_SSL, the tests' Postgres and Redis) present.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { InfraError, run, which } from './processes';

export interface ServerCertificate {
  /** PEM of the CA: what clients trust. */
  ca: string;
  caKey: string;
  /** PEM of the server's certificate, signed by the CA. */
  cert: string;
  key: string;
}

async function openssl(dir: string, args: string[]): Promise<void> {
  const binary = which('openssl');
  if (!binary) throw new InfraError('openssl is not on PATH: install it (apt-get install openssl)');
  const result = await run(binary, args, { cwd: dir, timeoutMs: 60_000 });
  if (result.code !== 0) throw new InfraError(`openssl ${args[0]} failed (exit ${result.code}): ${result.stderr.trim()}`);
}

/** Makes `<name>-ca.pem`, `<name>-ca.key`, `<name>.pem` and `<name>.key` in `dir`, valid for `days`. */
export async function makeServerCertificate(dir: string, name: string, days: number): Promise<ServerCertificate> {
  const files = {
    ca: path.join(dir, `${name}-ca.pem`),
    caKey: path.join(dir, `${name}-ca.key`),
    cert: path.join(dir, `${name}.pem`),
    key: path.join(dir, `${name}.key`),
  };
  const csr = path.join(dir, `${name}.csr`);
  const ext = path.join(dir, `${name}.ext`);
  await openssl(dir, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', files.caKey, '-out', files.ca, '-days', String(days), '-subj', `/CN=commerce-backbone ${name} CA`]);
  await openssl(dir, ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', files.key, '-out', csr, '-subj', '/CN=127.0.0.1']);
  writeFileSync(ext, 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  await openssl(dir, ['x509', '-req', '-in', csr, '-CA', files.ca, '-CAkey', files.caKey, '-CAcreateserial', '-out', files.cert, '-days', String(days), '-extfile', ext]);
  return files;
}

/** The certificate and its key (and the CA) as one PKCS12 keystore, for a JVM server. */
export async function pkcs12Keystore(dir: string, certificate: ServerCertificate, file: string, password: string): Promise<void> {
  await openssl(dir, ['pkcs12', '-export', '-in', certificate.cert, '-inkey', certificate.key, '-certfile', certificate.ca, '-name', 'server', '-out', file, '-passout', `pass:${password}`]);
}
