const shared = require('./jest.shared');

// The middle tier: repositories against a freshly migrated PostgreSQL database of the run's own, without the
// API, the worker or Redis.
module.exports = {
  ...shared,
  rootDir: __dirname,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/test/repository/**/*.repo-spec.ts'],
  globalSetup: '<rootDir>/test/support/repository-setup.ts',
  globalTeardown: '<rootDir>/test/support/repository-teardown.ts',
  testTimeout: 30000,
  maxWorkers: 2,
};
