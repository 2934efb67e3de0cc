export * from './envelope';
export * from './catalog';
export * from './topics';
export * from './services';
export * from './headers';
export * from './validate';
export * from './asyncapi';
export * from './milestones';
