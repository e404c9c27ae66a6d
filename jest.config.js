// Unit and adapter-contract tests run from TypeScript through swc; end-to-end
// tests spawn the built apps (dist/) as separate processes, so `npm test` builds first.
const swc = [
  '@swc/jest',
  {
    jsc: { parser: { syntax: 'typescript', decorators: true }, transform: { legacyDecorator: true, decoratorMetadata: true }, target: 'es2022' },
    module: { type: 'commonjs' },
  },
];
const esmOnly = [
  '@nestjs',
  'auto-bind',
  'graphql-ws',
  'jose',
  'file-type',
  'load-esm',
  'uid',
  'strtok3',
  'token-types',
  '@tokenizer',
  '@borewit',
  'es-toolkit',
  'request-filtering-agent',
];
const shared = {
  transform: { '^.+\\.(t|j|mj)s$': swc },
  transformIgnorePatterns: [`node_modules/(?!(${esmOnly.join('|')})/)`],
  moduleNameMapper: {
    '^@ses/(.*)$': '<rootDir>/libs/$1/src/index.ts',
  },
  testEnvironment: 'node',
};
module.exports = {
  globalSetup: '<rootDir>/test/support/global-setup.js',
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
  // End-to-end tests spawn the apps; if one ever refused to die, CI must still finish (Jest prints the forced exit).
  forceExit: true,
  // Jest reads the test timeout from the global config only (a project's testTimeout is
  // ignored): end-to-end tests restart apps and must pass on a busy machine.
  testTimeout: 30_000,
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs}/**/*.unit.spec.ts'] },
    { ...shared, displayName: 'int', testMatch: ['<rootDir>/{apps,libs}/**/*.int.spec.ts'] },
    { ...shared, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e.spec.ts'], slowTestThreshold: 30 },
    // The Analytics Portal in Debian's Chromium (playwright-core); skipped with one printed line where Chromium is missing.
    { ...shared, displayName: 'browser', testMatch: ['<rootDir>/test/browser/**/*.browser.spec.ts'], slowTestThreshold: 60 },
  ],
};
