/**
 * `@commerce/contracts/testing`: sample messages for producer and consumer tests (fixed, one per
 * event type) and fresh events built from them (new ids each time, for tests sharing a broker).
 */
export * from './sample-events';
export * from './fresh-events';
