/** CPU profiles of this process (a service started in it) while a benchmark loads it, by the inspector's Profiler. */
import { writeFileSync } from 'node:fs';
import { Session, type Profiler } from 'node:inspector';
import { relative } from 'node:path';
import { round } from './measure';

export interface SelfTimeEntry {
  /** Function name, then file:line (relative to the repository; dependencies by package path). */
  where: string;
  selfMs: number;
  /** Share of all samples, idle included. */
  share: number;
}

const post = <T>(session: Session, method: string, params?: object) =>
  new Promise<T>((resolve, reject) =>
    session.post(method, params ?? {}, (error, result) => (error ? reject(error) : resolve(result as T))),
  );

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

/** Profiles this process while `work` runs; writes the profile (for Chrome DevTools or speedscope) to `file`. */
export async function profiled<T>(file: string, work: () => Promise<T>): Promise<{ result: T; top: SelfTimeEntry[] }> {
  const session = new Session();
  session.connect();
  try {
    await post(session, 'Profiler.enable');
    await post(session, 'Profiler.setSamplingInterval', { interval: 500 });
    await post(session, 'Profiler.start');
    const result = await work();
    const { profile } = await post<{ profile: Profiler.Profile }>(session, 'Profiler.stop');
    writeFileSync(file, JSON.stringify(profile));
    return { result, top: topSelfTime(profile) };
  } finally {
    session.disconnect();
  }
}
