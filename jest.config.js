/** Type-checking happens once in `tsc --noEmit` (npm test); ts-jest only transpiles. */
module.exports = {
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
