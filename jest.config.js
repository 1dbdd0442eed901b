// Two projects: `unit` needs nothing; `integration` gets real PostgreSQL and Temporal
// servers started once per run by test/support/global-setup.ts.
const transform = {
  '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }],
  // Packages that ship as ES modules only (below); Node loads them with require, jest needs them compiled.
  '^.+\\.js$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }],
};
// The workbench's OpenID Connect client (openid-client, oauth4webapi, jose) and file-type with its helpers.
const esmOnly = ['openid-client', 'oauth4webapi', 'jose', 'file-type', 'strtok3', 'token-types', '@tokenizer', 'uint8array-extras', '@borewit'];
const esmInterop = {
  // Everything else in node_modules runs as shipped.
  transformIgnorePatterns: [`/node_modules/(?!(${esmOnly.join('|')})/)`],
  // file-type's exports offer its Node entry to `import` only, which jest's resolver does not ask for.
  moduleNameMapper: { '^file-type$': '<rootDir>/node_modules/file-type/index.js' },
};

module.exports = {
  testTimeout: 180000,
  maxWorkers: 2,
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      roots: ['<rootDir>/test/unit'],
      testMatch: ['**/*.test.ts'],
      transform,
      ...esmInterop,
    },
    {
      displayName: 'integration',
      testEnvironment: 'node',
      roots: ['<rootDir>/test'],
      testMatch: ['<rootDir>/test/{workflow,api,integration,e2e,bench,faults}/**/*.test.ts'],
      transform,
      ...esmInterop,
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
};
