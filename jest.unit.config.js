const shared = require('./jest.shared');

module.exports = {
  ...shared,
  rootDir: __dirname,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/{apps,libs}/**/*.spec.ts'],
};
