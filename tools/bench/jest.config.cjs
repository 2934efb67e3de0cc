// The bench tools' unit specs (pure parts of bench:throughput).
module.exports = require('../../jest.preset.cjs')(__dirname);
