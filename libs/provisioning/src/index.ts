export * from './settings';
export { InfraError } from './processes';
export { ensureTopics, deleteTopics, type TopicsOptions } from './topics';
export { ensureDatabases, probePostgres } from './postgres';
export { probeKafka, startLocalBroker, stopLocalBroker } from './kafka-broker';
export { probeRedis } from './redis';
export { up, status, down } from './local-infra';
export { KAFKA_SASL_SSL_PORT, saslSslListener, type SaslSslListener } from './kafka-sasl-ssl';
export { startSecurePostgres, type SecurePostgres } from './secure-postgres';
