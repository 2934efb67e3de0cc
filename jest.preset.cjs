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
    // jose ships ES modules only: Node >= 20.19 requires them as they are, jest's module loader
    // (before Node 24.9) does not, so swc turns them into CommonJS for the tests.
    transformIgnorePatterns: ['/node_modules/(?!jose/)'],
    transform: {
      '/node_modules/jose/.+\\.js$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }],
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
