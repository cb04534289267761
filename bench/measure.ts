import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

/** Small measuring helpers shared by the benchmarks. */

export const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

export const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

/** Each numeric field's median over three runs: one run on a shared 2-core machine says little. */
export async function medianOfThree<T extends object>(run: () => Promise<T>): Promise<T> {
  const runs = [await run(), await run(), await run()];
  return medianOfRuns(runs);
}

/** Each numeric field's median over the given runs (other fields are taken from the first run). */
export function medianOfRuns<T extends object>(runs: T[]): T {
  const fields = Object.entries(runs[0]).map(([key, value]) => [
    key,
    typeof value === 'number' ? median(runs.map((run) => (run as Record<string, number>)[key])) : value,
  ]);
  return Object.fromEntries(fields) as T;
}

export const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

export interface Throughput {
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
}

/**
 * Runs `writers` loops of `work` for `seconds` and counts what they did: `work` returns how many
 * items (events, rows) one call wrote, and each call's latency is kept for the percentiles.
 */
export async function runFor(seconds: number, writers: number, work: (writer: number) => Promise<number>): Promise<Throughput> {
  const latencies: number[] = [];
  let items = 0;
  const started = process.hrtime.bigint();
  const deadline = started + BigInt(Math.round(seconds * 1e9));
  await Promise.all(
    Array.from({ length: writers }, async (_, writer) => {
      while (process.hrtime.bigint() < deadline) {
        const callStarted = process.hrtime.bigint();
        const done = await work(writer); // awaited first: `items += await ...` would add to a stale total
        items += done;
        latencies.push(Number(process.hrtime.bigint() - callStarted) / 1e6);
      }
    }),
  );
  const elapsedSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  latencies.sort((a, b) => a - b);
  return {
    perSecond: Math.round(items / elapsedSeconds),
    p50Ms: round(percentile(latencies, 50)),
    p99Ms: round(percentile(latencies, 99)),
  };
}

/**
 * Runs a load generator of bench/load/ in a process of its own (so that it does not share the
 * measured service's event loop) with its options as JSON, and reads the one-line JSON it prints last.
 */
export async function runLoadScript<T>(script: string, options: object): Promise<T> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', join(__dirname, 'load', script), JSON.stringify(options)],
    { cwd: join(__dirname, '..'), maxBuffer: 1 << 26 },
  );
  return JSON.parse(stdout.trim().split('\n').pop()!) as T;
}
