export * from './eventually';
export * from './infra';
export * from './service-under-test';
export * from './milestones-scan';
export * from './hand-edits';
export * from './ports';
export * from './zipkin';
export * from './oidc-issuer';
