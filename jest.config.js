// Two tiers: fast unit specs next to the code, and integration/e2e suites in test/ that talk to the
// real Redis and PostgreSQL on the machine (each suite in its own schema and queue prefix).
const { pathsToModuleNameMapper } = require('ts-jest');
const { compilerOptions } = require('./tsconfig.base.json');

const shared = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
    // jose ships ES modules only; Node 20 requires them but Jest's module registry cannot.
    '^.+/node_modules/jose/.+\\.js$': '<rootDir>/tools/jest/esm-to-commonjs.js',
  },
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  moduleNameMapper: pathsToModuleNameMapper(Object.fromEntries(Object.entries(compilerOptions.paths).filter(([k]) => k.startsWith('@roster/'))), { prefix: '<rootDir>/' }),
  moduleFileExtensions: ['ts', 'js', 'json'],
};

module.exports = {
  // Integration suites start services against real infrastructure; unit specs finish far below this.
  testTimeout: 60000,
  // One suite at a time: each integration suite already starts several services, and a 2-core
  // machine gains nothing from running them side by side. No test measures speed (that is bench/'s
  // job), so a busy machine only makes a run slower, never red.
  maxWorkers: 1,
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/{libs,services,emulators,tools}/**/*.spec.ts'] },
    {
      ...shared,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/**/*.test.ts'],
    },
  ],
};
