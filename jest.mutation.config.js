/**
 * Jest for mutation testing (`npm run mutation`): the suites that exercise the
 * scan, the placements and the resolver, through test/mutation.suite.ts.
 */
const base = require('./jest.config.js');

module.exports = {
  ...base,
  testMatch: ['<rootDir>/test/mutation.suite.ts'],
};
