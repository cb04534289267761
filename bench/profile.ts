/** CPU profiles of the services while a benchmark loads them: where their time goes. */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import type { Profiler } from 'node:inspector';
import { join, relative } from 'node:path';
import { until } from '../test/supervised-system';
import { round } from './measure';

export interface SelfTimeEntry {
  /** Function name, then file:line (relative to the repository; dependencies by package path). */
  where: string;
  selfMs: number;
  /** Share of all samples, idle included. */
  share: number;
}

/** The functions that spent the most time themselves (not in what they called), summed over the profile. */
export function topSelfTime(profile: Profiler.Profile, count = 10): SelfTimeEntry[] {
  const byNode = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map(profile.nodes.flatMap((node) => (node.children ?? []).map((child) => [child, node.id] as const)));
  // The profiler's own stop (it serialises the profile on this thread) is not the service's time.
  const profilers = new Set(profile.nodes.filter((node) => node.callFrame.url.endsWith('/bench/profile.ts')).map((node) => node.id));
  const underProfiler = (id: number | undefined): boolean => id !== undefined && (profilers.has(id) || underProfiler(parentOf.get(id)));
  const selfMs = new Map<string, number>();
  let totalMs = 0;
  (profile.samples ?? []).forEach((id, i) => {
    if (underProfiler(id)) return;
    const ms = (profile.timeDeltas?.[i] ?? 0) / 1000;
    const { functionName, url, lineNumber } = byNode.get(id)!.callFrame;
    const file = url.startsWith('file://') ? relative(process.cwd(), url.slice('file://'.length)) : url;
    const where = `${functionName || '(anonymous)'} ${file ? `${file}:${lineNumber + 1}` : ''}`.trim();
    selfMs.set(where, (selfMs.get(where) ?? 0) + ms);
    totalMs += ms;
  });
  return [...selfMs.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([where, ms]) => ({ where, selfMs: Math.round(ms), share: round(ms / totalMs, 3) }));
}

const PROFILE_DIR = join(__dirname, 'results', 'profiles');

/**
 * With BENCH_PROFILE set, the environment under which each service of the whole system profiles
 * itself from its start (bench/profile-preload.js); otherwise none.
 */
export function serviceProfilingEnv(): NodeJS.ProcessEnv {
  if (!process.env.BENCH_PROFILE) return {};
  mkdirSync(PROFILE_DIR, { recursive: true });
  return { NODE_OPTIONS: `--require ${join(__dirname, 'profile-preload.js')}`, BENCH_PROFILE_DIR: PROFILE_DIR };
}

/** A service's profile of its whole life so far (asked for with SIGUSR2), and its top self-time entries. */
export async function serviceProfile(pid: number): Promise<{ file: string; top: SelfTimeEntry[] }> {
  const file = join(PROFILE_DIR, `${pid}.cpuprofile`);
  process.kill(pid, 'SIGUSR2');
  await until(`process ${pid} to write its profile`, () => existsSync(file), 60_000);
  return { file, top: topSelfTime(JSON.parse(readFileSync(file, 'utf8'))) };
}
