// The compose stack's suite, run only by `npm run test:compose` (after it brought the stack up):
// not named jest.config.cjs, so `npm test` does not collect it.
const preset = require('../../jest.preset.cjs')(__dirname);

module.exports = { ...preset, displayName: 'compose', testMatch: ['<rootDir>/test/**/*.compose-spec.ts'] };
