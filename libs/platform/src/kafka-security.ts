import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError } from './config-error';
import { optionalSetting } from './optional-setting';

/**
 * TLS and SASL to Kafka, all optional (a plain listener needs none); an empty value is the same as
 * none (docker-compose passes `${KAFKA_SSL_CA_FILE:-}` as empty when the operator sets nothing). Part of `baseConfigSchema`;
 * `kafkaSecurity` checks that they fit together and reads the files, at start-up.
 */
export const kafkaSecuritySettings = {
  /** TLS to the brokers; on as well when any KAFKA_SSL_*_FILE is set. Without a CA file, the system's CAs are trusted. @defaultValue false */
  KAFKA_SSL: z.preprocess((value) => (value === '' ? undefined : value), z.stringbool().default(false)),
  /** PEM file of the CA that signed the brokers' certificates (a private CA). */
  KAFKA_SSL_CA_FILE: optionalSetting(z.string().min(1)),
  /** PEM client certificate, for brokers that ask for one (mutual TLS); needs KAFKA_SSL_KEY_FILE. */
  KAFKA_SSL_CERT_FILE: optionalSetting(z.string().min(1)),
  /** PEM private key of KAFKA_SSL_CERT_FILE. */
  KAFKA_SSL_KEY_FILE: optionalSetting(z.string().min(1)),
  /** SASL mechanism: plain, scram-sha-256 or scram-sha-512; needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD. */
  KAFKA_SASL_MECHANISM: optionalSetting(z.enum(['plain', 'scram-sha-256', 'scram-sha-512'])),
  KAFKA_SASL_USERNAME: optionalSetting(z.string().min(1)),
  /** Never logged, never in an error message. */
  KAFKA_SASL_PASSWORD: optionalSetting(z.string().min(1)),
};

type KafkaSecuritySettings = { [K in keyof typeof kafkaSecuritySettings]: z.infer<(typeof kafkaSecuritySettings)[K]> };

/** What the Kafka client is given: the shapes of kafkajs' `ssl` and `sasl` options. */
export interface KafkaSecurity {
  ssl?: true | { ca?: string; cert?: string; key?: string };
  sasl?: { mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; username: string; password: string };
}

/**
 * The client's TLS and SASL from the settings, or a ConfigError naming each setting that is missing
 * or unreadable (its value is never quoted: it may be a secret).
 */
export function kafkaSecurity(config: Partial<KafkaSecuritySettings>): KafkaSecurity {
  const problems: string[] = [];
  const read = (name: 'KAFKA_SSL_CA_FILE' | 'KAFKA_SSL_CERT_FILE' | 'KAFKA_SSL_KEY_FILE'): string | undefined => {
    const file = config[name];
    if (!file) return undefined;
    try {
      return readFileSync(file, 'utf8');
    } catch (error) {
      problems.push(`${name} is invalid: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
      return undefined;
    }
  };
  if (config.KAFKA_SSL_CERT_FILE && !config.KAFKA_SSL_KEY_FILE) problems.push('KAFKA_SSL_KEY_FILE is missing: KAFKA_SSL_CERT_FILE needs its private key');
  if (config.KAFKA_SSL_KEY_FILE && !config.KAFKA_SSL_CERT_FILE) problems.push('KAFKA_SSL_CERT_FILE is missing: KAFKA_SSL_KEY_FILE is the key of a client certificate');
  const files = { ca: read('KAFKA_SSL_CA_FILE'), cert: read('KAFKA_SSL_CERT_FILE'), key: read('KAFKA_SSL_KEY_FILE') };
  const { KAFKA_SASL_MECHANISM: mechanism, KAFKA_SASL_USERNAME: username, KAFKA_SASL_PASSWORD: password } = config;
  if (mechanism) {
    if (!username) problems.push(`KAFKA_SASL_USERNAME is missing: KAFKA_SASL_MECHANISM=${mechanism} needs a username`);
    if (!password) problems.push(`KAFKA_SASL_PASSWORD is missing: KAFKA_SASL_MECHANISM=${mechanism} needs a password`);
  } else if (username || password) {
    problems.push('KAFKA_SASL_MECHANISM is missing: a SASL username or password is set (plain, scram-sha-256 or scram-sha-512)');
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const security: KafkaSecurity = {};
  const anyFile = Object.values(files).some((content) => content !== undefined);
  if (anyFile) security.ssl = Object.fromEntries(Object.entries(files).filter(([, content]) => content !== undefined));
  else if (config.KAFKA_SSL) security.ssl = true;
  if (mechanism && username && password) security.sasl = { mechanism, username, password };
  return security;
}
