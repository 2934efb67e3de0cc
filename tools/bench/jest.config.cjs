// The bench tools' unit specs (tools/ is no Nx project, so the root jest config does not list it):
// npx jest -c tools/bench/jest.config.cjs
module.exports = require('../../jest.preset.cjs')(__dirname);
