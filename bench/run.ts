/** `npm run bench`: runs the benchmarks against the real stack and writes bench/results/latest.json. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { createKafka, ensureTopics } from '@sangam/messaging';
import { benchAccessCost } from './access.bench';
import { benchEventPipeline } from './event-pipeline.bench';
import { benchProjectionRebuild } from './projection-rebuild.bench';
import { benchReconcile } from './reconcile.bench';

/** Each field's median over three runs: one run on a shared 2-core machine says little. */
async function medianOfThree<T extends object>(run: () => Promise<T>): Promise<T> {
  const runs = [await run(), await run(), await run()] as unknown as Record<string, number>[];
  return Object.fromEntries(Object.keys(runs[0]).map((key) => [key, runs.map((r) => r[key]).sort((a, b) => a - b)[1]])) as T;
}

async function main() {
  execFileSync('bash', [join(__dirname, '../infra/kafka/kafka.sh'), 'start'], { stdio: 'inherit' });
  execFileSync('bash', [join(__dirname, '../infra/keycloak/keycloak.sh'), 'start'], { stdio: 'inherit' });
  await ensureTopics(createKafka({ clientId: 'bench', brokers: (process.env.KAFKA_BROKERS || '127.0.0.1:9092').split(',') }), 6);
  const results = {
    recordedAt: new Date().toISOString(),
    machine: { cpus: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
    // The target is for batched appends (100 events a transaction); 10 a transaction shows the cost of small commits.
    eventPipelineBatched: await benchEventPipeline(100_000, 1_000, 100),
    eventPipelineSmallAppends: await benchEventPipeline(100_000, 1_000, 10),
    projectionRebuild: await benchProjectionRebuild(Number(process.env.BENCH_REBUILD_EVENTS ?? 1_000_000)),
    // Medians of three runs of 500 reads each.
    accessCost: await medianOfThree(() => benchAccessCost(500)),
    reconcile: await benchReconcile(Number(process.env.BENCH_RECONCILE_SHGS ?? 1_000)),
  };
  const dir = join(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
  console.log(JSON.stringify(results, null, 2));
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
