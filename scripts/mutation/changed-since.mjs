// @ts-check
// `MUTATE_SINCE=<git ref> npm run test:mutation` (what CI runs): only the domain files of the
// directories where something changed since that ref. A cold run of the whole domain takes longer
// than CI can give it; a change is tested by the specs beside it, so a changed spec re-mutates the
// files of its directory too. See "Mutation testing" in README.md.
import { execFileSync } from 'node:child_process';
import { dirname } from 'node:path';

/** What every mutant's verdict rests on: a change here re-mutates the whole domain. */
const SET_UP = ['stryker.config.mjs', 'scripts/mutation/', 'libs/testing/src/decider-spec.ts', 'libs/testing/src/event-publisher.ts'];

const git = (...args) => execFileSync('git', args, { encoding: 'utf8' }).split('\n').filter(Boolean);

/** Committed since the merge base with `ref`, plus what is not committed yet. */
const changedFiles = (ref) => [...git('diff', '--name-only', `${ref}...HEAD`), ...git('diff', '--name-only', 'HEAD')];

/** The tracked files a `mutate` entry names: a glob ('!' excludes) or `file:from-to`. */
const filesOf = (entry) => git('ls-files', '--', `:(glob)${entry.replace(/^!/, '').replace(/:\d+-\d+$/, '')}`);

/**
 * The entries of `mutate` (globs, exclusions, `file:from-to` ranges) narrowed to the files in the
 * directories of the files changed since `ref`; all of them when the set-up itself changed.
 */
export function mutatedSince(ref, mutate) {
  const changed = changedFiles(ref);
  if (changed.some((file) => SET_UP.some((setUp) => file.startsWith(setUp)))) return mutate;
  const directories = new Set(changed.map(dirname));
  const excluded = new Set(mutate.filter((entry) => entry.startsWith('!')).flatMap(filesOf));
  return mutate
    .filter((entry) => !entry.startsWith('!'))
    .flatMap((entry) => {
      const range = /:\d+-\d+$/.exec(entry)?.[0] ?? '';
      return filesOf(entry).map((file) => file + range);
    })
    .filter((entry) => directories.has(dirname(entry.replace(/:\d+-\d+$/, ''))) && !excluded.has(entry));
}
