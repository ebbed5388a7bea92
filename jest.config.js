/** Jest in ESM mode: ts-jest compiles TypeScript to ES modules and `.js` import suffixes map back to sources. */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': [
      'ts-jest',
      { useESM: true, tsconfig: 'tsconfig.json', diagnostics: { ignoreCodes: ['TS151001'] } },
    ],
  },
  // Worker threads run a bundle of the sources made here, never lib/; the built Action is checked there.
  globalSetup: '<rootDir>/__tests__/setup/global-setup.mjs',
  globalTeardown: '<rootDir>/__tests__/setup/remove-profile-worker.mjs',
  testMatch: ['<rootDir>/__tests__/**/*.test.ts'],
  collectCoverage: true,
  collectCoverageFrom: ['src/**/*.ts', 'cli/**/*.ts', 'action/**/*.ts', 'bot/**/*.ts', '!**/index.ts'],
  coverageReporters: ['text-summary', 'lcov'],
  coverageThreshold: { global: { lines: 94, branches: 83, functions: 93, statements: 92 } },
  testTimeout: 30000,
};
