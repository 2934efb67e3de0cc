export * from './settings';
export { InfraError } from './processes';
export { ensureTopics, deleteTopics, topicReplication, type TopicsOptions } from './topics';
export { ensureDatabases, probePostgres } from './postgres';
export { killKafkaNode, probeKafka, startKafkaNode, startLocalBroker, stopLocalBroker } from './kafka-broker';
export { probeRedis } from './redis';
export { up, status, down } from './local-infra';
