import nx from '@nx/eslint-plugin';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';

/** A library is imported through its entry points (package.json `exports`), never by its files. */
const deepImports = {
  group: ['@commerce/*/src', '@commerce/*/src/**'],
  message: 'Import a library through its public entry point (`@commerce/<lib>`, `@commerce/contracts/testing`), not its src/ files.',
};

// The architecture, enforced: apps never import apps; contracts depend on nothing of ours;
// messaging knows Kafka and the outbox but no domain; scopes keep services apart; tools stand on
// the libs and no lib or app source reaches into tools (only the e2e suites and benchmarks may).
const APP_LIBS = ['type:contracts', 'type:messaging', 'type:platform', 'type:milestones', 'type:testing'];
const depConstraints = [
  {
    sourceTag: 'type:contracts',
    onlyDependOnLibsWithTags: [],
    bannedExternalImports: ['@nestjs/*', 'typeorm', 'kafkajs', 'bullmq', 'ioredis', 'pg'],
  },
  { sourceTag: 'type:platform', onlyDependOnLibsWithTags: ['type:contracts'] },
  // Every service's GET /milestones, from a small description of the service; only apps (and their test fixtures) use it.
  { sourceTag: 'type:milestones', onlyDependOnLibsWithTags: ['type:contracts', 'type:platform'] },
  { sourceTag: 'type:messaging', onlyDependOnLibsWithTags: ['type:contracts', 'type:platform', 'type:testing'] },
  { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:contracts', 'type:messaging', 'type:platform', 'type:milestones', 'type:provisioning'] },
  { sourceTag: 'type:provisioning', onlyDependOnLibsWithTags: ['type:contracts', 'type:platform'] },
  { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:contracts', 'type:testing', 'type:platform', 'type:tooling'] },
  {
    sourceTag: 'type:tooling',
    onlyDependOnLibsWithTags: ['type:contracts', 'type:messaging', 'type:platform', 'type:milestones', 'type:testing', 'type:provisioning', 'type:tooling'],
  },
  { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
  { sourceTag: 'scope:order', onlyDependOnLibsWithTags: ['scope:order', 'scope:shared'] },
  { sourceTag: 'scope:inventory', onlyDependOnLibsWithTags: ['scope:inventory', 'scope:shared'] },
  { sourceTag: 'scope:payment', onlyDependOnLibsWithTags: ['scope:payment', 'scope:shared'] },
  { sourceTag: 'scope:shipment', onlyDependOnLibsWithTags: ['scope:shipment', 'scope:shared'] },
  { sourceTag: 'scope:notification', onlyDependOnLibsWithTags: ['scope:notification', 'scope:shared'] },
  { sourceTag: 'scope:reconciliation', onlyDependOnLibsWithTags: ['scope:reconciliation', 'scope:shared'] },
  { sourceTag: 'scope:e2e', onlyDependOnLibsWithTags: ['scope:shared'] },
];

/** The module-boundary rule, with what `type:app` projects may import (their benchmarks may use tools too). */
const moduleBoundaries = (appMayUse) => [
  'error',
  {
    enforceBuildableLibDependency: false,
    allow: [],
    depConstraints: [{ sourceTag: 'type:app', onlyDependOnLibsWithTags: appMayUse }, ...depConstraints],
  },
];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  {
    ignores: ['**/node_modules', '**/dist', '.infra', '.nx', 'coverage', 'test-artifacts', 'apps/*/public/vendor'],
  },
  {
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': moduleBoundaries(APP_LIBS),
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-empty': ['error', { allowEmptyCatch: false }],
    },
  },
  {
    files: ['**/*.ts', '**/*.mjs', '**/*.cjs'],
    rules: { 'no-restricted-imports': ['error', { patterns: [deepImports] }] },
  },
  {
    // No import cycles, in the TypeScript and in the dashboard's browser modules: a module in a cycle
    // can run before what it imports is initialised, and the cycle ties the modules into one.
    // Type-only imports are not followed (they vanish at run time); neither are external packages.
    files: ['**/*.ts', 'apps/reconciliation-dashboard/public/assets/js/**/*.js'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.js', '.mjs', '.cjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: 'tsconfig.json' }), createNodeResolver()],
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  {
    files: ['apps/reconciliation-dashboard/public/assets/js/views/*.js'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['./*'], message: 'A view does not import another view: what views share goes in ../view-parts.js.' }] },
      ],
    },
  },
  {
    files: ['apps/*/bench/**/*.ts'],
    rules: { '@nx/enforce-module-boundaries': moduleBoundaries([...APP_LIBS, 'type:tooling']) },
  },
  {
    files: ['**/*.spec.ts', '**/*.int-spec.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
];
