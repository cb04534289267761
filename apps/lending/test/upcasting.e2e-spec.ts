import { randomUUID } from 'node:crypto';
import { lendingEventContracts } from '@sangam/contracts';
import { UpcasterChain } from '@sangam/domain';
import { OutboxRelay, LeaderLaneSender, PostgresEventStore, publisherOf } from '@sangam/event-store';
import { decodeEnvelope } from '@sangam/messaging';
import { contractViolations, createScratchTopic, deleteScratchTopic, openScratchDatabase, readMessages, testKafka } from '@sangam/testing';
import { LOAN_UPCASTERS } from '../src/loans/domain/loan.upcasters';
import { LOAN_STREAM_TYPE } from '../src/loans/domain/loan.events';
import { LENDING_PUBLISHED_LANGUAGE } from '../src/published-language';

/** A LoanDisbursementRequested as lending recorded it before SHG savings were lent through groups: schemaVersion 1, no fundingSource. */
const v1Request = (loanId: string) => ({
  type: 'LoanDisbursementRequested',
  schemaVersion: 1,
  data: {
    loanId,
    creditLineId: randomUUID(),
    amount: 5_000_000,
    purpose: 'goat farming',
    requestedOn: '2005-06-15',
    borrower: { type: 'shg', id: randomUUID() },
    lender: { type: 'network', id: randomUUID() },
  },
});

describe("lending's stored events of an older schemaVersion", () => {
  let db: Awaited<ReturnType<typeof openScratchDatabase>>;
  let store: PostgresEventStore;
  const metadata = () => ({ correlationId: randomUUID(), causationId: null, actor: { service: 'test' } });

  beforeAll(async () => {
    db = await openScratchDatabase('lending_upcasting', 4);
    store = new PostgresEventStore(db.dataSource, [], new UpcasterChain(LOAN_UPCASTERS));
  });
  afterAll(() => db.close());

  it('are read from the store in the current shape, the row itself left as it was recorded', async () => {
    const loanId = randomUUID();
    const recorded = v1Request(loanId);
    await store.append({ streamId: loanId, streamType: LOAN_STREAM_TYPE, expectedVersion: 0, events: [recorded] }, metadata());

    const [row] = await db.dataSource.query(`SELECT schema_version, data FROM events WHERE stream_id = $1`, [loanId]);
    expect(row).toEqual({ schema_version: 1, data: recorded.data });

    const [read] = await store.readStream(loanId);
    expect(read).toMatchObject({ schemaVersion: 2, data: { ...recorded.data, fundingSource: 'credit-line' } });
    const [fromAll] = (await store.readAll(0n, 1000)).filter((event) => event.streamId === loanId);
    expect(fromAll).toEqual(read);
  });

  it('are published by the outbox relay in the current integration shape, as the contract documents it', async () => {
    const kafka = testKafka();
    const topic = await createScratchTopic(kafka, 'lending_upcasting', 1);
    const sender = new LeaderLaneSender(kafka);
    try {
      const loanId = randomUUID();
      await store.append({ streamId: loanId, streamType: LOAN_STREAM_TYPE, expectedVersion: 0, events: [v1Request(loanId)] }, metadata());
      const relay = new OutboxRelay(db.dataSource, sender, { topic, publish: publisherOf(store, LENDING_PUBLISHED_LANGUAGE) });
      const sent = await relay.publishBatch();
      const published = (await readMessages(kafka, topic, sent)).map(decodeEnvelope).find((envelope) => envelope.streamId === loanId);
      expect(published).toMatchObject({
        type: 'LoanDisbursementRequested',
        schemaVersion: 2,
        data: { loanId, fundingSource: 'credit-line' },
      });
      expect(contractViolations([published!], lendingEventContracts)).toEqual([]);
    } finally {
      await sender.close();
      await deleteScratchTopic(kafka, topic);
    }
  });

  it('are appended anew at the current version', async () => {
    const loanId = randomUUID();
    const { data } = v1Request(loanId);
    await store.append(
      {
        streamId: loanId,
        streamType: LOAN_STREAM_TYPE,
        expectedVersion: 0,
        events: [{ type: 'LoanDisbursementRequested', data: { ...data, fundingSource: 'shg-savings' } }],
      },
      metadata(),
    );
    const [row] = await db.dataSource.query(
      `SELECT schema_version, data->>'fundingSource' AS "fundingSource" FROM events WHERE stream_id = $1`,
      [loanId],
    );
    expect(row).toEqual({ schema_version: 2, fundingSource: 'shg-savings' });
  });
});
