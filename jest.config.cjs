// Runs every project's suites in one jest process (what `npm test` uses).
const fs = require('node:fs');
const path = require('node:path');

const projects = ['libs', 'apps', 'tools'].flatMap((group) =>
  fs.existsSync(path.join(__dirname, group))
    ? fs
        .readdirSync(path.join(__dirname, group))
        .map((name) => path.join(__dirname, group, name, 'jest.config.cjs'))
        .filter((config) => fs.existsSync(config))
    : [],
);

module.exports = {
  projects,
  // Integration suites share one broker, database server and Redis on a 2-core machine.
  maxWorkers: 1,
};
