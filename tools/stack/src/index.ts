export { apiKeysEnv, appName, generateApiKeys, OPERATOR_APPS, REPLICA_PORT_STEP, type RunningStack, SERVICES, type StackApiKeys, type StackOptions, startStack } from './stack';
export type { InstanceState, InstanceStatus, SupervisionOptions } from './supervisor';
export { serveStackStatus } from './status-server';
