/**
 * The cluster tier: a real Temporal server v1.29.1 on PostgreSQL with mutual TLS, and the
 * engine's own processes (`disclosure worker`, `serve`) started as a deployment would. One server
 * for the whole tier, started by its global setup; files run one at a time.
 */
const base = require('./jest.config');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  roots: ['<rootDir>/test/cluster'],
  testMatch: ['<rootDir>/test/cluster/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  globalSetup: './test/cluster/global-setup.ts',
  globalTeardown: './test/cluster/global-teardown.ts',
  maxWorkers: 1,
  testTimeout: 300_000,
};
