import { randomUUID } from 'node:crypto';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Kafka } from 'kafkajs';
import { createScratchTopic, deleteScratchTopic, startService, testKafka, waitFor, type RunningService } from '@sangam/testing';
import { loanBookProjection } from '../src/loan-book/loan-book.projection';
import type { TopicNames } from '../src/projections/projection';
import { PROJECTIONS } from '../src/projections/projection-registry';
import { rebuild, RebuildRefused } from '../src/replay/rebuild';
import { openReplayContext, type ReplayContext } from '../src/replay/replay-context';
import { ReportingModule } from '../src/reporting.module';
import { networkStory } from './network-story';
import { ReportingApi } from './reporting-api';
import { ReportingPublisher } from './reporting-publisher';

describe('replay: rebuilding read models beside the live ones', () => {
  let kafka: Kafka;
  let topics: TopicNames;
  let service: RunningService;
  let publisher: ReportingPublisher;
  let replay: ReplayContext;
  let api: ReportingApi;
  const story = networkStory();
  const readModels = async () => ({
    dashboard: await api.ok(`/networks/${story.networkId}/dashboard?asOf=2005-09-01`),
    loans: await api.ok(`/networks/${story.networkId}/loans?asOf=2005-09-01`),
    statements: [
      await api.ok(`/shgs/${story.shgA}/statement?asOf=2005-09-01`),
      await api.ok(`/shgs/${story.shgB}/statement?asOf=2005-09-01`),
      await api.ok(`/shgs/${story.shgC}/statement?asOf=2005-09-01`),
    ],
  });
  const generations = async () =>
    Object.fromEntries((await api.ok('/projections')).map((p: { name: string; generation: number }) => [p.name, p.generation]));
  let live: Awaited<ReturnType<typeof readModels>>;

  /** Topics of its own, so that a rebuild from offset 0 reads this suite's events, not every test run's. */
  beforeAll(async () => {
    kafka = testKafka();
    topics = {
      groups: await createScratchTopic(kafka, 'reporting_groups'),
      lending: await createScratchTopic(kafka, 'reporting_lending'),
      bankLinkage: await createScratchTopic(kafka, 'reporting_bank_linkage'),
    };
    service = await startService('reporting', (config) => ReportingModule.forRoot(config, topics), {
      databasePrefix: 'sangam_test_reporting_replay',
    });
    api = new ReportingApi(service.url);
    publisher = await ReportingPublisher.connect();
    replay = await openReplayContext(service.config, topics);
    await publisher.publish(story.events, topics);
    await waitFor(async () => {
      for (const projection of await api.ok('/projections'))
        expect({ name: projection.name, lag: projection.lag }).toEqual({ name: projection.name, lag: 0 });
    });
    live = await readModels();
  });

  afterAll(async () => {
    await replay?.close();
    await publisher?.disconnect();
    await service?.stop();
    for (const topic of Object.values(topics ?? {})) await deleteScratchTopic(kafka, topic);
  });

  it('rebuilds every projection from offset 0 into a new generation and swaps it in, identical to the live one', async () => {
    const before = await generations();
    const reads: unknown[] = [];
    let rebuilding = true;
    const reader = (async () => {
      while (rebuilding) reads.push(await readModels());
    })();
    const summaries = await rebuild(replay.context, PROJECTIONS).finally(() => (rebuilding = false));
    await reader;

    expect(summaries.map((s) => [s.projection, s.swapped, s.generation, s.replacedGeneration])).toEqual(
      PROJECTIONS.map((p) => [p.name, true, before[p.name] + 1, before[p.name]]),
    );
    expect(summaries.every((s) => s.events > 0)).toBe(true);
    expect(reads.length).toBeGreaterThan(0);
    for (const read of reads) expect(read).toEqual(live);
    expect(await readModels()).toEqual(live);
    expect(await generations()).toEqual(Object.fromEntries(PROJECTIONS.map((p) => [p.name, before[p.name] + 1])));
    const schemas: { nspname: string }[] = await replay.context.dataSource.query(
      `SELECT nspname FROM pg_namespace WHERE nspname LIKE 'rpt\\_%' ORDER BY nspname`,
    );
    expect(schemas.map((s) => s.nspname).sort()).toEqual(
      PROJECTIONS.map((p) => `rpt_${p.name.replace(/-/g, '_')}_g${before[p.name] + 1}`).sort(),
    );
  });

  it('keeps projecting new events into the swapped-in generation', async () => {
    const repayment = story.fundLoan.repaidInstallment(2, '2005-08-15');
    await publisher.publish(repayment, topics);
    await waitFor(async () => {
      const { commonFund, loans } = await api.ok(`/networks/${story.networkId}/dashboard?asOf=2005-09-01`);
      expect(commonFund.repaidIn).toBe(2 * 31_200);
      expect(loans.overdueCount).toBe(1);
    });
  });

  it('refuses a second rebuild of a projection while one runs, and shows the first as rebuilding', async () => {
    let duringRebuild: Promise<[unknown, { name: string }[]]> | null = null;
    const first = rebuild(replay.context, [loanBookProjection], {
      onStart: () => {
        duringRebuild ??= Promise.all([rebuild(replay.context, [loanBookProjection]).catch((error) => error), api.ok('/projections')]);
      },
    });
    const [summary] = await first;
    const [refusal, projections] = await duringRebuild!;
    expect(refusal).toBeInstanceOf(RebuildRefused);
    expect(projections.find((p) => p.name === loanBookProjection.name)).toMatchObject({
      status: 'rebuilding',
      rebuild: { generation: summary.generation, running: true },
    });
    expect(summary.swapped).toBe(true);
    expect(await readModels()).toMatchObject({ loans: [{ id: story.fundLoan.loanId, outstandingPrincipal: 60_000 }, {}, {}] });
  });

  it('runs as `npm run replay -- <projection>` on the contract topics and prints a summary', async () => {
    const run = (...args: string[]) =>
      promisify(execFile)('npx', ['ts-node', join(__dirname, '../src/replay/replay.cli.ts'), ...args], {
        cwd: join(__dirname, '../../..'),
        env: { ...process.env, DATABASE_NAME_PREFIX: 'sangam_test_reporting_replay_cli' },
      });
    const { stdout } = await run('loan-book', '--from-beginning');
    expect(stdout).toMatch(/^loan-book: generation \d+ is live \(replaced \d+\); [\d,]+ events in [\d.]+ s, [\d,]+ events\/s$/m);
    await expect(run(`no-such-${randomUUID()}`)).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('usage: npm run replay'),
    });
  });

  it('replaces, when the service starts, a live generation built to another table shape, and refills it from the topics', async () => {
    const current = await readModels();
    const before = await generations();
    await replay.context.dataSource.query(
      `UPDATE projection_generations SET live_shape = 'an-older-version' WHERE projection = 'network-dashboard'`,
    );
    await service.stop();
    service = await startService('reporting', (config) => ReportingModule.forRoot(config, topics), {
      databasePrefix: 'sangam_test_reporting_replay',
    });
    api = new ReportingApi(service.url);

    expect(await generations()).toEqual({ ...before, 'network-dashboard': before['network-dashboard'] + 1 });
    // Reads answer 503 until the new generation has caught up, then the same figures as before.
    await waitFor(async () => expect(await readModels()).toEqual(current));
    expect((await api.ok('/projections')).map((p: { status: string }) => p.status)).toEqual(['live', 'live', 'live']);
    const schemas: { nspname: string }[] = await replay.context.dataSource.query(
      `SELECT nspname FROM pg_namespace WHERE nspname LIKE 'rpt\\_network%'`,
    );
    expect(schemas.map((s) => s.nspname)).toEqual([`rpt_network_dashboard_g${before['network-dashboard'] + 1}`]);
  });

  it('answers 503 service_unavailable for a read model being refilled, and again once it has caught up', async () => {
    // The service clears the mark within a second once it sees the generation caught up, so mark it again until a read lands in between.
    await waitFor(async () => {
      await replay.context.dataSource.query(`UPDATE projection_generations SET live_refilling = true WHERE projection = 'loan-book'`);
      const refilling = await api.get(`/networks/${story.networkId}/loans?asOf=2005-09-01`);
      expect(refilling).toMatchObject({ status: 503, body: { error: 'service_unavailable' } });
    });
    // Nothing new to read: the service sees the generation caught up and answers again.
    await waitFor(async () => expect((await api.get(`/networks/${story.networkId}/loans?asOf=2005-09-01`)).status).toBe(200));
  });
});
