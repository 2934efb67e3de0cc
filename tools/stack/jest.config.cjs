// The stack runner's suites: supervision of real app processes (integration, real Kafka and Postgres).
module.exports = require('../../jest.preset.cjs')(__dirname);
