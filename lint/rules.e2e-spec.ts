import { spawnSync } from 'node:child_process';
import { basename, join } from 'node:path';

/** Each file here breaks one rule on purpose; `npm run lint` leaves this folder out. */
const FIXTURES = join(__dirname, 'fixtures');
const ROOT = join(__dirname, '..');

/** Runs a linter's command line as `npm run lint` does (ESLint loads an ES module config, which Jest's module system cannot). */
const run = (tool: 'eslint' | 'depcruise', args: string[], cwd: string) =>
  spawnSync(join(ROOT, 'node_modules/.bin', tool), args, { cwd, encoding: 'utf8' });

describe('the lint rules, each on a fixture that breaks it', () => {
  // One ESLint run over every fixture: type-aware linting starts a TypeScript program, which takes a while.
  let rulesBrokenBy: Map<string, string[]>;
  beforeAll(() => {
    const eslint = run('eslint', ['--no-ignore', '--format', 'json', join(FIXTURES, 'eslint')], ROOT);
    expect(eslint.status).toBe(1);
    const results = JSON.parse(eslint.stdout) as { filePath: string; messages: { ruleId: string | null; message: string }[] }[];
    rulesBrokenBy = new Map(
      results.map(({ filePath, messages }) => [basename(filePath), messages.map((m) => m.ruleId ?? m.message).sort()]),
    );
  });
  const rulesBroken = (fixture: string) => rulesBrokenBy.get(fixture);

  it('refuse a floating promise', () => {
    expect(rulesBroken('floating-promise.ts')).toEqual(['@typescript-eslint/no-floating-promises']);
  });

  it('refuse a promise handed where nothing awaits it', () => {
    expect(rulesBroken('misused-promise.ts')).toEqual(['@typescript-eslint/no-misused-promises']);
  });

  it('refuse an any that flows into typed code', () => {
    expect(rulesBroken('unsafe-any.ts')).toEqual([
      '@typescript-eslint/no-unsafe-assignment',
      '@typescript-eslint/no-unsafe-member-access',
      '@typescript-eslint/no-unsafe-return',
    ]);
  });

  it('refuse each boundary crossing, naming the rule and the file that crosses it', () => {
    const depcruise = run(
      'depcruise',
      ['apps', 'libs', '--config', join(ROOT, '.dependency-cruiser.cjs'), '--output-type', 'json'],
      FIXTURES,
    );
    const { summary } = JSON.parse(depcruise.stdout) as { summary: { violations: { rule: { name: string }; from: string; to: string }[] } };
    expect(summary.violations.map(({ rule, from }) => [rule.name, from]).sort()).toEqual([
      ['contracts-import-no-machinery', 'libs/contracts/src/topics.ts'],
      ['domain-imports-no-framework', 'apps/alpha/src/loans/domain/loan.decider.ts'],
      ['libs-never-import-apps', 'libs/helpers/src/fee.ts'],
      ['no-app-imports-another-app', 'apps/alpha/src/fee-reader.ts'],
    ]);
  });
});
