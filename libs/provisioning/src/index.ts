export * from './settings';
export { InfraError } from './processes';
export { ensureTopics, deleteTopics, type TopicsOptions } from './topics';
export { ensureDatabases, probePostgres } from './postgres';
export { probeKafka, startLocalBroker, stopLocalBroker } from './kafka-broker';
export { probeRedis } from './redis';
export { up, status, down } from './local-infra';
export { probeZipkin, ZIPKIN_ENABLED, ZIPKIN_PORT, ZIPKIN_SPANS_ENDPOINT, ZIPKIN_URL, ZIPKIN_VERSION } from './zipkin';
