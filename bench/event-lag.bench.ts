import type { ServiceName } from '../scripts/supervisor/processes';
import { httpClient } from '@sangam/testing';
import { until, type SupervisedSystem } from '../test/supervised-system';
import { consumersSettled, cpuMsByPart, cpuPerRequest, orStop, rssMiB, servicePid, startDepositSystem, type Shg } from './deposit-system';
import { medianOfRuns, round } from './measure';

/** The projection that shows a deposit: an SHG's statement. */
const STATEMENT = 'shg-statement';
const SERVICES: ServiceName[] = ['groups', 'lending', 'bank-linkage', 'reporting'];
const SHGS = 16;

export interface LagAtRate {
  /** Deposits a second asked of the load generator, and answered 2xx a second. */
  targetPerSecond: number;
  achievedPerSecond: number;
  depositP99Ms: number;
  /** An event recorded by groups -> its effect committed in reporting's SHG statement, ms (from the service's histogram). */
  lagP50Ms: number;
  lagP99Ms: number;
  refused: number;
  errors: number;
  /** Each service's resident memory at the end of the run, MiB. */
  rssMiB: Record<string, number>;
  /** CPU time per deposit answered (over the three runs, each until reporting caught up), ms, by part of the system. */
  cpuMsPerDeposit?: Record<string, number>;
}

export interface SoakResult {
  ratePerSecond: number;
  seconds: number;
  achievedPerSecond: number;
  /** Each service's RSS, MiB, sampled every 10 s after the first minute: first, last, highest, and the fitted slope. */
  rss: Record<string, { firstMiB: number; lastMiB: number; maxMiB: number; slopeMiBPerMinute: number }>;
}

/** Prometheus' text format: the cumulative bucket counts of one histogram series, by upper bound. */
export function histogramBuckets(metrics: string, name: string, labels: string): Map<number, number> {
  const buckets = new Map<number, number>();
  const pattern = new RegExp(`^${name}_bucket\\{([^}]*)\\} (\\d+)$`, 'gm');
  for (const [, labelText, count] of metrics.matchAll(pattern)) {
    if (!labelText.includes(labels)) continue;
    const le = /le="([^"]+)"/.exec(labelText)![1];
    buckets.set(le === '+Inf' ? Infinity : Number(le), Number(count));
  }
  return buckets;
}

/**
 * The q-quantile of what was observed between two readings of a histogram, interpolated within its
 * bucket as Prometheus' histogram_quantile does; past the last finite bound, that bound.
 */
export function quantileBetween(before: Map<number, number>, after: Map<number, number>, q: number): number {
  const bounds = [...after.keys()].sort((a, b) => a - b);
  const counts = bounds.map((le) => (after.get(le) ?? 0) - (before.get(le) ?? 0));
  const total = counts[counts.length - 1] ?? 0;
  if (total === 0) return NaN;
  const rank = q * total;
  for (let i = 0; i < bounds.length; i++) {
    if (counts[i] < rank) continue;
    const lower = i === 0 ? 0 : bounds[i - 1];
    if (bounds[i] === Infinity) return lower;
    const below = i === 0 ? 0 : counts[i - 1];
    return lower + ((bounds[i] - lower) * (rank - below)) / Math.max(1, counts[i] - below);
  }
  return NaN;
}

async function statementLag(system: SupervisedSystem): Promise<Map<number, number>> {
  const metrics = await (await fetch(`${system.urls.reporting}/metrics`)).text();
  return histogramBuckets(metrics, 'sangam_event_lag_seconds', `consumer="${STATEMENT}"`);
}

/** The system with a network's SHGs (Sindhudurg has 16) and deposits spread over them at a fixed rate from 16 connections. */
async function startNetworkDepositing() {
  const { system, freshShg, deposits } = await startDepositSystem();
  // Each SHG's stream takes its deposits one transaction at a time.
  const shgs = await orStop(system, async () => {
    const made: Shg[] = await Promise.all(Array.from({ length: SHGS }, freshShg));
    await setUpApplied(system, made);
    return made;
  });
  return { system, deposits: (rate: number, seconds: number) => deposits(shgs, { connections: 16, seconds, rate }) };
}

/** Waits until reporting shows every SHG set up, and every consumer has applied everything before. */
async function setUpApplied(system: SupervisedSystem, shgs: Shg[]): Promise<void> {
  const reporting = httpClient(system.urls.reporting);
  for (const { shgId } of shgs) {
    await until(`reporting to show SHG ${shgId}`, async () => (await reporting.get(`/shgs/${shgId}/statement`)).status === 200, 300_000);
  }
  await consumersSettled(system);
}

/** Waits until reporting has applied `events` more deposits than `before` shows (the run's tail). */
async function caughtUp(system: SupervisedSystem, before: Map<number, number>, events: number): Promise<Map<number, number>> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const after = await statementLag(system);
    const applied = (after.get(Infinity) ?? 0) - (before.get(Infinity) ?? 0);
    if (applied >= events) return after;
    if (Date.now() > deadline) throw new Error(`bench: reporting applied ${applied} of ${events} deposits in 2 minutes`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * Command-to-read-model lag with the whole system running as `npm start` runs it (supervisor, the
 * four services in processes of their own with their relays and consumers): deposits at a fixed
 * rate from another process, three runs per rate; medians. 100/s is below what two cores sustain
 * (the lag of a system keeping up), 300/s the soak's; 500 and 1,000/s are the issue's. The deposits are paced (pacedLoad).
 */
export async function benchEventLag(
  rates = (process.env.BENCH_LAG_RATES ?? '100,300,500,1000').split(',').map(Number),
  seconds = Number(process.env.BENCH_LOAD_SECONDS ?? 10),
): Promise<LagAtRate[]> {
  const { system, deposits } = await startNetworkDepositing();
  try {
    // Unmeasured: the services' code is compiled hot and their pools filled before the first rate's runs.
    await deposits(rates[0], seconds);
    await consumersSettled(system);
    const results: LagAtRate[] = [];
    for (const targetPerSecond of rates) {
      const runs: LagAtRate[] = [];
      const cpuBefore = cpuMsByPart(system);
      let answered = 0;
      for (let round = 0; round < 3; round++) {
        const before = await statementLag(system);
        const { accepted, requestsPerSecond, p99Ms, refused, errors } = await deposits(targetPerSecond, seconds);
        const after = await caughtUp(system, before, accepted.length);
        answered += accepted.length;
        runs.push({
          targetPerSecond,
          achievedPerSecond: requestsPerSecond,
          depositP99Ms: p99Ms,
          lagP50Ms: Math.round(quantileBetween(before, after, 0.5) * 1000),
          lagP99Ms: Math.round(quantileBetween(before, after, 0.99) * 1000),
          refused,
          errors,
          rssMiB: Object.fromEntries(SERVICES.map((name) => [name, rssMiB(servicePid(system, name))])),
        });
      }
      results.push({ ...medianOfRuns(runs), cpuMsPerDeposit: cpuPerRequest(cpuBefore, cpuMsByPart(system), answered) });
    }
    return results;
  } finally {
    await system.stop();
  }
}

/** Least squares: MiB a minute over the samples. */
const slopePerMinute = (samples: { atMs: number; mib: number }[]) => {
  const n = samples.length;
  const meanT = samples.reduce((s, x) => s + x.atMs, 0) / n;
  const meanM = samples.reduce((s, x) => s + x.mib, 0) / n;
  const cov = samples.reduce((s, x) => s + (x.atMs - meanT) * (x.mib - meanM), 0);
  const varT = samples.reduce((s, x) => s + (x.atMs - meanT) ** 2, 0);
  return varT === 0 ? 0 : round((cov / varT) * 60_000, 2);
};

/** Deposits at `ratePerSecond` for `seconds` (the issue: 300/s for 10 minutes), each service's RSS sampled every 10 s. */
export async function benchMemorySoak(ratePerSecond = 300, seconds = Number(process.env.BENCH_SOAK_SECONDS ?? 600)): Promise<SoakResult> {
  const { system, deposits } = await startNetworkDepositing();
  const samples = new Map<ServiceName, { atMs: number; mib: number }[]>(SERVICES.map((name) => [name, []]));
  const startedAt = Date.now();
  const sampler = setInterval(() => {
    // The first minute is warm-up (JIT, pools, caches filling).
    if (Date.now() - startedAt < 60_000) return;
    for (const name of SERVICES) {
      const pid = system.processOf(name)?.pid;
      if (pid) samples.get(name)!.push({ atMs: Date.now() - startedAt, mib: rssMiB(pid) });
    }
  }, 10_000);
  try {
    const { requestsPerSecond } = await deposits(ratePerSecond, seconds);
    const rss = Object.fromEntries(
      SERVICES.map((name) => {
        const taken = samples.get(name)!;
        const mibs = taken.map((s) => s.mib);
        return [
          name,
          { firstMiB: mibs[0], lastMiB: mibs[mibs.length - 1], maxMiB: Math.max(...mibs), slopeMiBPerMinute: slopePerMinute(taken) },
        ];
      }),
    );
    return { ratePerSecond, seconds, achievedPerSecond: requestsPerSecond, rss };
  } finally {
    clearInterval(sampler);
    await system.stop();
  }
}
