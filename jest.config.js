/** @type {import('jest').Config} */
module.exports = {
  preset: 'ts-jest',
  testEnvironment: '<rootDir>/test/support/nodeEnvironment.js',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  globalSetup: '<rootDir>/test/support/globalSetup.ts',
  globalTeardown: '<rootDir>/test/support/globalTeardown.ts',
  setupFiles: ['<rootDir>/test/support/testEnv.ts'],
  testTimeout: 60_000,
  // Two cores: more workers only add contention with Postgres and Elasticsearch.
  maxWorkers: 2,
  // Each file is transpiled alone (tsconfig.test.json: isolatedModules); `npm test` type-checks
  // them all once with tsc first. Type-checking here would hold the whole project's types in the
  // heap of every worker, even for the smallest test file, and a worker must free its memory as it
  // exits within the 500 ms jest-worker allows before it kills it and reports a leak.
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json', diagnostics: { warnOnly: false } }] },
};
