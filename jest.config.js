/** Type-checking happens once in `tsc --noEmit` (npm test); ts-jest only transpiles. */
const { availableParallelism } = require('node:os');

module.exports = {
  // A worker per core: jest's default leaves one core idle (on 2 cores, a single worker); every core was 0.7× the time.
  maxWorkers: availableParallelism(),
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { diagnostics: false }],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testTimeout: 60000,
  setupFilesAfterEnv: ['<rootDir>/test/setup-exit-code.ts'],
};
