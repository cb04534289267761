/**
 * `npm run bench`: runs the benchmarks against the real stack and writes bench/results/latest.json.
 *   --compare          also runs the peers (Emmett, raw Postgres) in the same run, on the same cluster
 *   --only=a,b         runs only the named benchmarks (see BENCHMARKS)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { createKafka, ensureTopics } from '@sangam/messaging';
import { DEFAULT_DATABASE_URL } from '@sangam/platform';
import { benchAccessCost } from './access.bench';
import { benchAppends, benchRawPostgres, type AppendCaseResult, type RawPostgresResult } from './append.bench';
import { benchCommandPath } from './command-path.bench';
import { benchEventLag, benchMemorySoak, type LagAtRate, type SoakResult } from './event-lag.bench';
import { benchEventPipeline } from './event-pipeline.bench';
import { benchHttpDeposits, benchHttpDepositsEmmett, type HttpDepositsResult } from './http-deposits.bench';
import { benchLongStream, type LongStreamResult } from './long-stream.bench';
import { BENCH_KAFKA_PORT } from './deposit-system';
import { medianOfThree } from './measure';
import { benchProjectionRebuild } from './projection-rebuild.bench';
import { benchReconcile } from './reconcile.bench';
import { benchSignedWebhooks, type WebhookLoadResult } from './webhooks.bench';

const args = process.argv.slice(2);
const compare = args.includes('--compare');
const only = args
  .find((arg) => arg.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');

/** Each benchmark by name; the ones that need Kafka or Keycloak say so, and peers run only with --compare. */
const BENCHMARKS: Record<string, { needsStack?: boolean; peer?: boolean; run: () => Promise<unknown> }> = {
  appends: { run: () => benchAppends(compare) },
  rawPostgres: { peer: true, run: () => benchRawPostgres() },
  longStream: { run: () => medianOfThree(() => benchLongStream(10_000)) },
  // The target is for batched appends (100 events a transaction); 10 a transaction shows the cost of small commits.
  eventPipelineBatched: { needsStack: true, run: () => benchEventPipeline(100_000, 1_000, 100) },
  eventPipelineSmallAppends: { needsStack: true, run: () => benchEventPipeline(100_000, 1_000, 10) },
  projectionRebuild: { needsStack: true, run: () => benchProjectionRebuild(Number(process.env.BENCH_REBUILD_EVENTS ?? 1_000_000)) },
  accessCost: { needsStack: true, run: () => medianOfThree(() => benchAccessCost(500)) },
  signedWebhooks: { needsStack: true, run: () => benchSignedWebhooks(16) },
  // The deposit route under load at 1, 16 and 64 connections, with relay and consumers running; its peer with --compare.
  httpDeposits: { needsStack: true, run: () => benchHttpDeposits() },
  httpDepositsEmmett: { peer: true, run: () => benchHttpDepositsEmmett() },
  // The whole system as `npm start` runs it: deposits at 500 and 1,000 a second, lag to reporting's SHG statement.
  eventLag: { needsStack: true, run: () => benchEventLag() },
  // Ten minutes at 300 deposits a second (BENCH_SOAK_SECONDS): each service's memory.
  memorySoak: { needsStack: true, run: () => benchMemorySoak() },
  reconcile: { needsStack: true, run: () => benchReconcile(Number(process.env.BENCH_RECONCILE_SHGS ?? 1_000)) },
  // A one-event command through the command path against a bare append.
  commandPath: { run: () => medianOfThree(() => benchCommandPath()) },
};

async function postgresVersion(): Promise<string> {
  const client = new Client({ connectionString: process.env.DATABASE_URL || DEFAULT_DATABASE_URL });
  await client.connect();
  try {
    return (await client.query('SHOW server_version')).rows[0].server_version;
  } finally {
    await client.end();
  }
}

const machine = async () => ({
  cpus: cpus().length,
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  postgres: await postgresVersion(),
  // The machine is shared: the load says how much of it the run had.
  loadAverage1m: Math.round(loadavg()[0] * 100) / 100,
});

function printTable(results: Record<string, unknown>) {
  const rows: string[][] = [['what', 'sangam', 'peer', 'ratio']];
  for (const row of (results.appends as AppendCaseResult[] | undefined) ?? []) {
    const what = `append ${row.eventsPerAppend} event(s)/append, ${row.writers} writer(s), events/s (p99 ms)`;
    const peer = row.emmett ? `emmett ${row.emmett.perSecond} (${row.emmett.p99Ms})` : '';
    rows.push([what, `${row.sangam.perSecond} (${row.sangam.p99Ms})`, peer, row.ratio === undefined ? '' : String(row.ratio)]);
  }
  const raw = results.rawPostgres as RawPostgresResult | undefined;
  if (raw)
    rows.push([
      'raw Postgres one-row INSERTs, 16 writers / COPY, rows/s',
      '',
      `${raw.insertRowsPerSecond16Writers} / ${raw.copyRowsPerSecond}`,
      '',
    ]);
  const long = results.longStream as LongStreamResult | undefined;
  if (long) {
    const what = `deposit p50 ms: SHG with ${long.longStreamEvents} events / new SHG (full fold of the long one)`;
    rows.push([
      what,
      `${long.longShgDepositP50Ms} / ${long.newShgDepositP50Ms} (${long.longShgDepositFullFoldP50Ms})`,
      '',
      String(long.ratio),
    ]);
  }
  const webhooks = results.signedWebhooks as WebhookLoadResult | undefined;
  if (webhooks) {
    const { connections, requestsPerSecond, p50Ms, p99Ms, lost, cpuMsPerRequest } = webhooks;
    const what = `signed webhooks verified and stored, ${connections} connections, req/s (p50 / p99 ms, lost, bank-linkage CPU ms/req)`;
    rows.push([what, `${requestsPerSecond} (${p50Ms} / ${p99Ms}, ${lost}, ${cpuMsPerRequest['bank-linkage']})`, '', '']);
  }
  const deposits = results.httpDeposits as HttpDepositsResult | undefined;
  const depositsPeer = results.httpDepositsEmmett as HttpDepositsResult | undefined;
  for (const row of deposits?.cases ?? []) {
    const peer = depositsPeer?.cases.find((c) => c.connections === row.connections);
    const cell = (c: HttpDepositsResult['cases'][number]) => `${c.requestsPerSecond} (${c.p50Ms} / ${c.p99Ms}, ${c.lost})`;
    const what = `HTTP deposits, ${row.connections} connection(s), req/s (p50 / p99 ms, lost)`;
    const ratio = peer ? String(Math.round((row.requestsPerSecond / peer.requestsPerSecond) * 100) / 100) : '';
    rows.push([what, cell(row), peer ? `emmett+express ${cell(peer)}` : '', ratio]);
  }
  for (const lag of (results.eventLag as LagAtRate[] | undefined) ?? []) {
    const what = `deposit -> reporting's SHG statement at ${lag.targetPerSecond}/s: lag p50 / p99 ms (deposits/s achieved, their p99 ms)`;
    rows.push([what, `${lag.lagP50Ms} / ${lag.lagP99Ms} (${lag.achievedPerSecond}, ${lag.depositP99Ms})`, '', '']);
    const cpu = Object.entries(lag.cpuMsPerDeposit ?? {}).map(([part, ms]) => `${part} ${ms}`);
    if (cpu.length > 0) rows.push([`  CPU ms per deposit at ${lag.targetPerSecond}/s, by part`, cpu.join(', '), '', '']);
  }
  const soak = results.memorySoak as SoakResult | undefined;
  for (const [service, rss] of Object.entries(soak?.rss ?? {})) {
    const what = `RSS MiB of ${service}, ${soak!.seconds} s at ${soak!.ratePerSecond}/s: first / last / max (MiB a minute)`;
    rows.push([what, `${rss.firstMiB} / ${rss.lastMiB} / ${rss.maxMiB} (${rss.slopeMiBPerMinute})`, '', '']);
  }
  for (const entry of deposits?.profile?.top ?? [])
    rows.push([`  profile of groups: ${entry.where}`, `${entry.selfMs} ms self (${entry.share})`, '', '']);
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  for (const row of rows) console.log(row.map((cell, column) => cell.padEnd(widths[column])).join(' | '));
}

const infraScript = (name: 'kafka' | 'keycloak') => join(__dirname, `../infra/${name}/${name}.sh`);
const infra = (name: 'kafka' | 'keycloak', command: string, env = process.env) =>
  execFileSync('bash', [infraScript(name), command], { stdio: 'inherit', env });

/**
 * The benchmarks' own broker: a single node beside the developer's, empty at the start of every
 * `npm run bench` and stopped at its end. The systems a benchmark starts read the shared topics
 * from their beginning, and a broker holding an evening of benchmarks (420 MB) made every later
 * `npm test` wait for its suites' consumers to read all of it first (three suites timed out) and
 * every later benchmark's consumers too. An external cluster (KAFKA_BROKERS) is used as it is.
 * Answers how to stop it.
 */
function startBenchBroker(): () => void {
  if (process.env.KAFKA_BROKERS) return () => undefined;
  const env = {
    ...process.env,
    KAFKA_PORT: BENCH_KAFKA_PORT,
    KAFKA_NODES: '1',
    KAFKA_CONTROLLER_PORT: undefined,
    KAFKA_DATA_DIR: undefined,
  };
  infra('kafka', 'stop', env); // one an interrupted run left
  if (spawnSync('bash', [infraScript('kafka'), 'status'], { env }).status === 0)
    throw new Error(`bench: something this script did not start answers on 127.0.0.1:${BENCH_KAFKA_PORT}; stop it first`);
  rmSync(join(process.env.SANGAM_CACHE || join(__dirname, '../.cache'), `kafka/data-${BENCH_KAFKA_PORT}`), {
    recursive: true,
    force: true,
  });
  infra('kafka', 'start', env);
  process.env.KAFKA_BROKERS = `127.0.0.1:${BENCH_KAFKA_PORT}`;
  return () => infra('kafka', 'stop', env);
}

async function main() {
  const selected = Object.entries(BENCHMARKS).filter(([name, { peer }]) => (!only || only.includes(name)) && (compare || !peer));
  const results: Record<string, unknown> = { recordedAt: new Date().toISOString(), machineAtStart: await machine(), compare };
  const needsStack = selected.some(([, benchmark]) => benchmark.needsStack);
  const stopBroker = needsStack ? startBenchBroker() : () => undefined;
  try {
    if (needsStack) {
      infra('keycloak', 'start');
      await ensureTopics(createKafka({ clientId: 'bench', brokers: process.env.KAFKA_BROKERS!.split(',') }), 6);
    }
    for (const [name, benchmark] of selected) results[name] = await benchmark.run();
  } finally {
    try {
      stopBroker();
    } catch (error) {
      console.error(`bench: could not stop its broker: ${String(error)}`);
    }
  }
  results.machineAtEnd = await machine();
  const dir = join(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
  console.log(JSON.stringify(results, null, 2));
  printTable(results);
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
