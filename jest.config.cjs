// Runs every project's suites in one jest process (what `npm test` uses).
module.exports = {
  projects: ['<rootDir>/libs/*/jest.config.cjs', '<rootDir>/apps/*/jest.config.cjs'],
  // Integration suites share one broker, database server and Redis on a 2-core machine.
  maxWorkers: 1,
};
