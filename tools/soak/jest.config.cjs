// The soak's suite: a short soak (600 orders, every fault once) on a three-node cluster of its own.
module.exports = require('../../jest.preset.cjs')(__dirname);
