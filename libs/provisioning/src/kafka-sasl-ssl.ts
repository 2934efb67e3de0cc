// A SASL_SSL listener beside the plain one on the project's own broker (the JVM one): a private CA
// and the broker's certificate made with openssl at provision time, and a SCRAM user made with
// Kafka's own ConfigCommand once the broker answers. What a managed cluster asks of the services.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { makeServerCertificate, pkcs12Keystore } from './certificates';
import { InfraError, log, run } from './processes';
import { INFRA_DIR, KAFKA_CONTROLLER_PORT, KAFKA_HOST, KAFKA_PORT } from './settings';

/**
 * Port of the SASL_SSL listener (KAFKA_SASL_SSL_PORT); `0` leaves it out.
 * @defaultValue KAFKA_PORT + 2 (KAFKA_CONTROLLER_PORT is KAFKA_PORT + 1 by custom)
 */
export const KAFKA_SASL_SSL_PORT = process.env['KAFKA_SASL_SSL_PORT'] === undefined ? KAFKA_PORT + 2 : Number(process.env['KAFKA_SASL_SSL_PORT']);

/** The SCRAM user the listener knows. */
export const KAFKA_SASL_USER = 'commerce';

const dir = path.join(INFRA_DIR, 'kafka', 'tls');
const files = {
  ca: path.join(dir, 'broker-ca.pem'),
  keystore: path.join(dir, 'broker.p12'),
  storePassword: path.join(dir, 'keystore-password'),
  saslPassword: path.join(dir, 'sasl-password'),
  userMadeFor: path.join(dir, 'scram-user-cluster'),
};

/** How a client reaches the SASL_SSL listener: what KAFKA_BROKERS, KAFKA_SSL_CA_FILE and KAFKA_SASL_* are set to. */
export interface SaslSslListener {
  brokers: string;
  caFile: string;
  mechanism: 'scram-sha-512';
  username: string;
  password: string;
}

/** The listener `infra up` provisioned, or null when it has not (KAFKA_SASL_SSL_PORT=0, a Docker broker, an older broker). */
export function saslSslListener(): SaslSslListener | null {
  if (!KAFKA_SASL_SSL_PORT || !existsSync(files.userMadeFor) || !existsSync(files.saslPassword)) return null;
  return {
    brokers: `127.0.0.1:${KAFKA_SASL_SSL_PORT}`,
    caFile: files.ca,
    mechanism: 'scram-sha-512',
    username: KAFKA_SASL_USER,
    password: readFileSync(files.saslPassword, 'utf8').trim(),
  };
}

/** A secret kept in a file only its owner reads, made once. */
function secret(file: string): string {
  if (!existsSync(file)) {
    writeFileSync(file, randomBytes(18).toString('base64url'), { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  return readFileSync(file, 'utf8').trim();
}

/** The CA, the broker's key and certificate (for 127.0.0.1 and localhost) and its PKCS12 keystore; made once. */
async function ensureCertificates(): Promise<void> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (existsSync(files.keystore)) return;
  const certificate = await makeServerCertificate(dir, 'broker', 3650);
  await pkcs12Keystore(dir, certificate, files.keystore, secret(files.storePassword));
  log('kafka', `made a private CA and the broker's certificate for the SASL_SSL listener in ${dir}/`);
}

/**
 * Lines appended to server.properties (a later key wins in a Java properties file): the SASL_SSL
 * listener with SCRAM-SHA-512, beside the plain listener and the controller. None when the
 * listener is off.
 */
export async function saslSslBrokerProperties(): Promise<string[]> {
  if (!KAFKA_SASL_SSL_PORT) return [];
  await ensureCertificates();
  const storePassword = secret(files.storePassword);
  const scram = 'org.apache.kafka.common.security.scram.ScramLoginModule required;';
  return [
    '# SASL_SSL listener (libs/provisioning/src/kafka-sasl-ssl.ts; KAFKA_SASL_SSL_PORT=0 leaves it out)',
    `listeners=PLAINTEXT://127.0.0.1:${KAFKA_PORT},CONTROLLER://127.0.0.1:${KAFKA_CONTROLLER_PORT},SASL_SSL://127.0.0.1:${KAFKA_SASL_SSL_PORT}`,
    `advertised.listeners=PLAINTEXT://${KAFKA_HOST}:${KAFKA_PORT},SASL_SSL://127.0.0.1:${KAFKA_SASL_SSL_PORT}`,
    'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,SASL_SSL:SASL_SSL',
    'sasl.enabled.mechanisms=SCRAM-SHA-512',
    `listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=${scram}`,
    'ssl.keystore.type=PKCS12',
    `ssl.keystore.location=${files.keystore}`,
    `ssl.keystore.password=${storePassword}`,
    `ssl.key.password=${storePassword}`,
  ];
}

/**
 * Makes the SCRAM user with Kafka's own ConfigCommand, over the plain listener, once per cluster
 * (SCRAM credentials live in the cluster's metadata).
 */
export async function ensureSaslUser(java: string, libs: string, clusterId: string): Promise<void> {
  if (!KAFKA_SASL_SSL_PORT) return;
  if (existsSync(files.userMadeFor) && readFileSync(files.userMadeFor, 'utf8').trim() === clusterId) return;
  const password = secret(files.saslPassword);
  const result = await run(java, [
    '-Xmx128m', '-XX:+UseSerialGC', '-cp', path.join(libs, '*'), 'kafka.admin.ConfigCommand',
    '--bootstrap-server', `127.0.0.1:${KAFKA_PORT}`, '--alter', '--entity-type', 'users', '--entity-name', KAFKA_SASL_USER,
    '--add-config', `SCRAM-SHA-512=[password=${password}]`,
  ], { timeoutMs: 120_000 });
  // ConfigCommand echoes nothing of the password; its output is quoted without it all the same.
  if (result.code !== 0) throw new InfraError(`making the SCRAM user ${KAFKA_SASL_USER} failed (exit ${result.code}): ${result.stderr.replaceAll(password, '***').trim()}`);
  writeFileSync(files.userMadeFor, `${clusterId}\n`);
  log('kafka', `SASL_SSL listener ready at 127.0.0.1:${KAFKA_SASL_SSL_PORT} (SCRAM user ${KAFKA_SASL_USER}, CA ${files.ca})`);
}
