import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { ConcurrencyError, PostgresEventStore } from '../src';
import { openScratchDatabase } from '@sangam/testing';

const meta = () => ({ correlationId: randomUUID(), causationId: null, actor: { service: 'test' } });
const counted = (n: number) => ({ type: 'Counted', data: { n } });

describe('PostgresEventStore against Postgres', () => {
  let db: Awaited<ReturnType<typeof openScratchDatabase>>;
  let dataSource: DataSource;
  let store: PostgresEventStore;

  beforeAll(async () => {
    db = await openScratchDatabase('store');
    dataSource = db.dataSource;
    store = new PostgresEventStore(dataSource);
  });
  afterAll(() => db.close());

  it('reads a stream back in version order with its metadata', async () => {
    const streamId = `s-${randomUUID()}`;
    const metadata = { ...meta(), actor: { userId: 'u-1', username: 'tester' } };
    await store.append({ streamId, streamType: 'counter', expectedVersion: 0, events: [counted(1), counted(2)] }, metadata);
    await store.append({ streamId, streamType: 'counter', expectedVersion: 2, events: [counted(3)] }, metadata);
    const events = await store.readStream(streamId);
    expect(events.map((e) => [e.streamVersion, (e.data as { n: number }).n])).toEqual([
      [1, 1],
      [2, 2],
      [3, 3],
    ]);
    expect(events[0]).toMatchObject({
      correlationId: metadata.correlationId,
      actor: { userId: 'u-1', username: 'tester' },
      streamType: 'counter',
    });
  });

  it('reads several streams at once, each in version order, and an unknown one as empty', async () => {
    const [a, b, unknown] = [`a-${randomUUID()}`, `b-${randomUUID()}`, `u-${randomUUID()}`];
    await store.append({ streamId: b, streamType: 'counter', expectedVersion: 0, events: [counted(1), counted(2)] }, meta());
    await store.append({ streamId: a, streamType: 'counter', expectedVersion: 0, events: [counted(3)] }, meta());
    await store.append({ streamId: b, streamType: 'counter', expectedVersion: 2, events: [counted(4)] }, meta());
    const streams = await store.readStreams([a, b, unknown]);
    expect([...streams.keys()]).toEqual([a, b, unknown]);
    expect(streams.get(b)).toEqual(await store.readStream(b));
    expect(streams.get(b)!.map((e) => (e.data as { n: number }).n)).toEqual([1, 2, 4]);
    expect(streams.get(a)).toEqual(await store.readStream(a));
    expect(streams.get(unknown)).toEqual([]);
  });

  it('rejects an append whose expected version is not the current one', async () => {
    const streamId = `s-${randomUUID()}`;
    await store.append({ streamId, streamType: 'counter', expectedVersion: 0, events: [counted(1)] }, meta());
    await expect(
      store.append({ streamId, streamType: 'counter', expectedVersion: 0, events: [counted(2)] }, meta()),
    ).rejects.toBeInstanceOf(ConcurrencyError);
    await expect(
      store.append({ streamId, streamType: 'counter', expectedVersion: 5, events: [counted(2)] }, meta()),
    ).rejects.toBeInstanceOf(ConcurrencyError);
    expect(await store.readStream(streamId)).toHaveLength(1);
  });

  it('lets exactly one of 50 concurrent appends with the same expected version win', async () => {
    const streamId = `s-${randomUUID()}`;
    await store.append({ streamId, streamType: 'counter', expectedVersion: 0, events: [counted(0)] }, meta());
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) =>
        store.append({ streamId, streamType: 'counter', expectedVersion: 1, events: [counted(i)] }, meta()),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(rejected).toHaveLength(49);
    expect(rejected.every((r) => r.reason instanceof ConcurrencyError)).toBe(true);
    expect((await store.readStream(streamId)).map((e) => e.streamVersion)).toEqual([1, 2]);
  });

  it('appends to several streams atomically or not at all', async () => {
    const a = `a-${randomUUID()}`;
    const b = `b-${randomUUID()}`;
    await store.append({ streamId: b, streamType: 'counter', expectedVersion: 0, events: [counted(1)] }, meta());
    await expect(
      store.appendToStreams(
        [
          { streamId: a, streamType: 'counter', expectedVersion: 0, events: [counted(1)] },
          { streamId: b, streamType: 'counter', expectedVersion: 0, events: [counted(2)] },
        ],
        meta(),
      ),
    ).rejects.toBeInstanceOf(ConcurrencyError);
    expect(await store.readStream(a)).toEqual([]);
  });

  it('appends for writers that share a transaction in one statement, each event with the metadata of its own writer', async () => {
    const writers = [
      { streamId: `w-${randomUUID()}`, metadata: { ...meta(), actor: { bankId: 'b-1' }, occurredAt: '2005-11-14T10:00:00.000Z' } },
      { streamId: `w-${randomUUID()}`, metadata: { ...meta(), causationId: randomUUID(), actor: { bankId: 'b-2' } } },
    ];
    const results = await dataSource.transaction((manager) =>
      store.appendEachInTransaction(
        manager,
        writers.map(({ streamId, metadata }, i) => ({
          streamId,
          streamType: 'counter',
          expectedVersion: 0,
          events: [counted(i)],
          metadata,
        })),
      ),
    );
    for (const [i, { streamId, metadata }] of writers.entries()) {
      const [stored] = await store.readStream(streamId);
      const expected = { correlationId: metadata.correlationId, causationId: metadata.causationId, actor: metadata.actor };
      expect(stored).toMatchObject({ ...expected, data: { n: i } });
      expect(results[i].events).toEqual([stored]);
    }
    expect((await store.readStream(writers[0].streamId))[0].occurredAt).toBe('2005-11-14T10:00:00.000Z');
  });

  it('never skips an event when reading all by position under concurrent writers', async () => {
    const start = (await dataSource.query(`SELECT coalesce(max(global_position), 0) AS p FROM events`))[0].p as string;
    const writers = 8;
    const perWriter = 60;
    let writing = true;
    const written = Promise.all(
      Array.from({ length: writers }, async (_, w) => {
        for (let i = 0; i < perWriter; i++) {
          // Transactions of varying length commit out of position order.
          await dataSource.transaction(async (manager) => {
            await store.appendInTransaction(
              manager,
              { streamId: `w${w}-${start}-${i}`, streamType: 'counter', expectedVersion: 0, events: [counted(i)] },
              meta(),
            );
            if (i % 7 === w % 7) await manager.query('SELECT pg_sleep(0.02)');
          });
        }
      }),
    ).finally(() => (writing = false));

    const seen: string[] = [];
    let after = start;
    const deadline = Date.now() + 60_000;
    while ((writing || seen.length < writers * perWriter) && Date.now() < deadline) {
      const batch = await store.readAll(after, 25);
      for (const event of batch) seen.push(event.position);
      if (batch.length > 0) after = batch[batch.length - 1].position;
      else await new Promise((r) => setTimeout(r, 5));
    }
    await written;
    const all: { global_position: string }[] = await dataSource.query(
      `SELECT global_position FROM events WHERE global_position > $1 ORDER BY global_position`,
      [start],
    );
    expect(seen).toEqual(all.map((r) => String(r.global_position)));
    expect(seen).toHaveLength(writers * perWriter);
  });

  it('never deadlocks when two multi-stream appends name the same streams in opposite orders', async () => {
    const a = `a-${randomUUID()}`;
    const b = `b-${randomUUID()}`;
    const both = (first: string, second: string, version: number) =>
      store.appendToStreams(
        [first, second].map((streamId) => ({ streamId, streamType: 'counter', expectedVersion: version, events: [counted(version + 1)] })),
        meta(),
      );
    await both(a, b, 0);
    for (let version = 1; version <= 10; version++) {
      const outcomes = await Promise.allSettled([both(a, b, version), both(b, a, version)]);
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      for (const outcome of outcomes) if (outcome.status === 'rejected') expect(outcome.reason).toBeInstanceOf(ConcurrencyError);
    }
  });
});
