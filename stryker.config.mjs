// @ts-check
/**
 * `npm run test:mutation`: StrykerJS mutates the pure domain and runs its unit specs against each
 * mutant. See "Mutation testing" in README.md.
 */
import { readFileSync } from 'node:fs';
import { mutatedSince } from './scripts/mutation/changed-since.mjs';

/** Lines of one top-level function of a file that also holds I/O: only that function is mutated. */
function functionOf(file, name) {
  const lines = readFileSync(file, 'utf8').split('\n');
  const start = lines.findIndex((line) => new RegExp(`^export (async )?function ${name}\\b`).test(line));
  const end = lines.findIndex((line, i) => i > start && line === '}');
  if (start < 0 || end < 0) throw new Error(`stryker.config.mjs: no top-level function ${name} in ${file}`);
  return `${file}:${start + 1}-${end + 1}`;
}

/** Every pure domain file. */
const DOMAIN = [
  'apps/*/src/**/domain/**/*.ts',
  'libs/money/src/**/*.ts',
  'libs/domain/src/**/*.ts',
  // The projections' pure functions: what an event adds to a read model, and how it is read.
  'apps/reporting/src/**/*.projection.ts',
  'apps/reporting/src/loan-book/loan-position.ts',
  'apps/reporting/src/loan-book/loan-book-summary.ts',
  'apps/reporting/src/network-dashboard/common-fund.ts',
  functionOf('apps/lending/src/lenders/projections/groups-view.projection.ts', 'fundChangesFromGroups'),
  'apps/bank-linkage/src/credit-lines/projections/savings-deltas.ts',
  '!**/*.spec.ts',
];

/** Set by CI (see .ci/run): only the domain files of the directories changed since that git ref. */
const since = process.env.MUTATE_SINCE;

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  mutate: since ? mutatedSince(since, DOMAIN) : DOMAIN,
  testRunner: 'jest',
  jest: { projectType: 'custom', configFile: 'scripts/mutation/jest.config.js', enableFindRelatedTests: true },
  checkers: ['typescript'],
  tsconfigFile: 'scripts/mutation/tsconfig.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  coverageAnalysis: 'perTest',
  plugins: ['@stryker-mutator/jest-runner', '@stryker-mutator/typescript-checker', './scripts/mutation/error-messages.ignorer.mjs'],
  ignorers: ['error-messages'],
  // CI runs it after `npm test`, with both cores free: the whole domain in about ten minutes.
  concurrency: 2,
  incremental: true,
  // A narrowed run keeps its own file: it holds only the files it mutated, and would otherwise make
  // the next whole run forget the rest.
  incrementalFile: since ? '.cache/stryker/incremental.since.json' : '.cache/stryker/incremental.json',
  tempDirName: '.cache/stryker/tmp',
  ignorePatterns: ['.cache', 'dist', 'coverage', 'bench/results', 'docs', 'infra'],
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: '.cache/stryker/report.html' },
  jsonReporter: { fileName: '.cache/stryker/report.json' },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
  thresholds: { high: 98, low: 95, break: 95 },
};
