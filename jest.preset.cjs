// One jest setup for every project. Unit suites are `*.spec.ts` (may fake),
// integration suites are `*.int-spec.ts` (real Kafka, Postgres and Redis).
const path = require('node:path');

/** @param {string} dir the project's directory (pass __dirname) */
module.exports = function projectJestConfig(dir) {
  return {
    displayName: path.basename(dir),
    rootDir: dir,
    testEnvironment: 'node',
    setupFiles: [path.join(__dirname, 'jest.setup.cjs')],
    testMatch: ['<rootDir>/**/*.spec.ts', '<rootDir>/**/*.int-spec.ts'],
    testPathIgnorePatterns: ['/node_modules/', '/dist/'],
    moduleFileExtensions: ['ts', 'js', 'json'],
    transform: {
      '^.+\\.ts$': [
        '@swc/jest',
        {
          jsc: {
            parser: { syntax: 'typescript', decorators: true },
            transform: { legacyDecorator: true, decoratorMetadata: true },
            target: 'es2022',
            keepClassNames: true,
          },
          module: { type: 'commonjs' },
        },
      ],
    },
  };
};
