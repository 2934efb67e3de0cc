export { apiKeysEnv, appName, generateApiKeys, OPERATOR_APPS, type RunningStack, SERVICES, type StackApiKeys, type StackOptions, startStack } from './stack';
