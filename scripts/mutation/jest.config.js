/**
 * The unit specs of the pure domain (what `npm run test:mutation` mutates): no database, no broker,
 * no global setup. Same transform and module mapping as the root jest.config.js.
 */
const root = require('../../jest.config.js');

module.exports = {
  rootDir: '../..',
  testEnvironment: 'node',
  moduleFileExtensions: root.moduleFileExtensions,
  transform: root.transform,
  transformIgnorePatterns: root.transformIgnorePatterns,
  moduleNameMapper: {
    // The few helpers unit specs use (see testing.ts); the whole index would load NestJS, pg and
    // kafkajs into every spec, once per mutant.
    '^@sangam/testing$': '<rootDir>/scripts/mutation/testing.ts',
    ...root.moduleNameMapper,
  },
  roots: ['<rootDir>/apps', '<rootDir>/libs'],
  setupFiles: ['<rootDir>/scripts/mutation/fast-check.setup.ts'],
  testMatch: [
    '<rootDir>/apps/*/src/**/domain/**/*.spec.ts',
    '<rootDir>/libs/money/src/**/*.spec.ts',
    '<rootDir>/libs/domain/src/**/*.spec.ts',
    '<rootDir>/apps/reporting/src/**/*.projection.spec.ts',
    '<rootDir>/apps/reporting/src/loan-book/loan-position.spec.ts',
    '<rootDir>/apps/reporting/src/loan-book/loan-book-summary.spec.ts',
    '<rootDir>/apps/reporting/src/network-dashboard/common-fund.spec.ts',
    '<rootDir>/apps/lending/src/lenders/projections/*.spec.ts',
    '<rootDir>/apps/bank-linkage/src/credit-lines/projections/*.spec.ts',
  ],
};
