/** One Jest run covers unit specs beside the code and the cross-service suites in test/. */
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  },
];

module.exports = {
  rootDir: '.',
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
  testRegex: '.*\\.(spec|e2e-spec)\\.ts$',
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/scripts', '<rootDir>/test', '<rootDir>/lint'],
  // NestJS 12 and jose 6 ship ES modules only; Jest loads CommonJS, so those packages are compiled too.
  transform: { '^.+\\.(ts|m?js)$': swc },
  transformIgnorePatterns: ['/node_modules/(?!(@nestjs|fast-check|jose)/)'],
  moduleNameMapper: { '^@sangam/([a-z-]+)$': '<rootDir>/libs/$1/src' },
  globalSetup: '<rootDir>/libs/testing/src/global-setup.ts',
  testTimeout: 120000,
};
