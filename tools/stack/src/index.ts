export { appName, OPERATOR_APPS, type RunningStack, SERVICES, type StackOptions, startStack } from './stack';
