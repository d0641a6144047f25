/** One configuration for every test tier; the integration tests share one Temporal dev server. */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  // The cluster tier has its own server and configuration (jest.cluster.config.js).
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '<rootDir>/test/cluster/'],
  modulePathIgnorePatterns: ['<rootDir>/dist/'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
        module: { type: 'commonjs' },
      },
    ],
  },
  // Worker and SDK logs are kept per test file and printed only for a file that fails.
  reporters: ['default', '<rootDir>/test/support/failed-file-logs.js'],
  globalSetup: './test/global-setup.ts',
  globalTeardown: './test/global-teardown.ts',
  maxWorkers: 2,
  testTimeout: 60_000,
};
