import { randomUUID } from 'node:crypto';
import type { Client } from 'pg';
import { listDeadLetters, redriveDeadLetter } from '@sangam/messaging';
import {
  connectTestDatabase,
  createScratchTopic,
  deleteScratchTopic,
  startService,
  testKafka,
  waitFor,
  type RunningService,
} from '@sangam/testing';
import type { TopicNames } from '../src/projections/projection';
import { ReportingModule } from '../src/reporting.module';
import { groups } from './reporting-events';
import { ReportingApi } from './reporting-api';
import { ReportingPublisher } from './reporting-publisher';

/**
 * A projection that dead-letters an event says so: /projections shows it degraded, with the dead
 * letter, until the event is re-driven and applied; then it is live and the read model is right.
 */
describe('a projection that skipped an event', () => {
  let service: RunningService;
  let publisher: ReportingPublisher;
  let api: ReportingApi;
  let db: Client;
  let schema: string;
  const shgId = randomUUID();
  const deposit = groups(shgId, {
    type: 'SavingsDeposited',
    data: { shgId, memberId: randomUUID(), depositId: randomUUID(), amount: 777, depositedOn: '2005-05-01' },
  });

  const kafka = testKafka();
  let topics: TopicNames;

  /** Topics of its own: the projection reads this test's events only, and its dead letters go to their own DLQ. */
  beforeAll(async () => {
    topics = {
      groups: await createScratchTopic(kafka, 'degraded_groups'),
      lending: await createScratchTopic(kafka, 'degraded_lending'),
      bankLinkage: await createScratchTopic(kafka, 'degraded_bank_linkage'),
    };
    service = await startService('reporting', (config) => ReportingModule.forRoot(config, topics), {
      databasePrefix: 'sangam_test_reporting_degraded',
    });
    api = new ReportingApi(service.url);
    publisher = await ReportingPublisher.connect();
    db = await connectTestDatabase(service.config.databaseName);
    ({ table_schema: schema } = (
      await db.query(`SELECT table_schema FROM information_schema.tables WHERE table_name = 'shg_savings'`)
    ).rows[0]);
    // A fault the projection cannot get past (like a bug in it): this one deposit is refused by its table.
    await db.query(`ALTER TABLE ${schema}.shg_savings ADD CONSTRAINT poison CHECK (savings <> 777)`);
  });
  afterAll(async () => {
    await db?.end();
    await publisher?.disconnect();
    await service?.stop();
    for (const topic of Object.values(topics ?? {})) await deleteScratchTopic(kafka, topic);
  });

  const shgStatementProjection = async () => (await api.ok('/projections')).find((p: { name: string }) => p.name === 'shg-statement');

  it('shows degraded with the dead letter, then live and right once it is re-driven after the fix', async () => {
    await publisher.publish(
      [groups(shgId, { type: 'ShgFormed', data: { shgId, name: 'Jai Bhavani', village: 'Kudal', formedOn: '2004-01-15' } }), deposit],
      topics,
    );
    const degraded = await waitFor(async () => {
      const projection = await shgStatementProjection();
      expect(projection.status).toBe('degraded');
      return projection;
    }, 60_000);
    expect(degraded.deadLetters).toEqual([
      expect.objectContaining({ eventId: deposit.envelope.eventId, topic: topics.groups, error: expect.stringMatching(/poison/) }),
    ]);
    const metrics = await (await fetch(`${service.url}/metrics`)).text();
    expect(metrics).toMatch(/sangam_consumer_dead_letters\{consumer="[^"]*shg-statement[^"]*"\} 1/);

    await db.query(`ALTER TABLE ${schema}.shg_savings DROP CONSTRAINT poison`);
    const letter = await waitFor(async () => {
      const found = (await listDeadLetters(kafka, [topics.groups])).find((entry) => entry.eventId === deposit.envelope.eventId);
      expect(found).toBeDefined();
      return found!;
    });
    await redriveDeadLetter(kafka, letter);
    await waitFor(async () => expect(await shgStatementProjection()).toMatchObject({ status: 'live', deadLetters: [] }), 60_000);
    expect(await api.ok(`/shgs/${shgId}/statement`)).toMatchObject({ savingsBalance: 777 });
  });
});
