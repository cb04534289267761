import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { DomainError, type Decider } from '@sangam/domain';
import { ConcurrencyError, decideInTransaction, handleCommand, keepFoldedStates, loadStream, PostgresEventStore } from '../src';
import { openScratchDatabase } from '@sangam/testing';

const meta = () => ({ correlationId: randomUUID(), causationId: null, actor: { service: 'test' } });
const counted = (n: number) => ({ type: 'Counted', data: { n } });

type Command = { type: 'Increment'; by: number };
type Event = { type: 'Incremented'; data: { by: number; total: number } };
const counter: Decider<Command, Event, number> = {
  initialState: () => 0,
  evolve: (_, event) => event.data.total,
  decide: (command, total) => (command.by === 0 ? [] : [{ type: 'Incremented', data: { by: command.by, total: total + command.by } }]),
};

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
    const first = await store.append({ streamId, streamType: 'counter', expectedVersion: 0, events: [counted(1), counted(2)] }, metadata);
    const second = await store.append({ streamId, streamType: 'counter', expectedVersion: 2, events: [counted(3)] }, metadata);
    const events = await store.readStream(streamId);
    expect(events.map((e) => [e.streamVersion, e.data.n])).toEqual([[1, 1], [2, 2], [3, 3]]);
    expect(events[0]).toMatchObject({ correlationId: metadata.correlationId, actor: { userId: 'u-1', username: 'tester' }, streamType: 'counter' });
    // What an append answers is what a reader will find, position and recording time included.
    expect([...first.events, ...second.events]).toEqual(events);
  });

  it('answers each stream of a multi-stream append its own events, as stored', async () => {
    const [a, b] = [`b-${randomUUID()}`, `a-${randomUUID()}`];
    const occurredAt = '2005-06-14T10:00:00.000Z';
    const results = await store.appendToStreams(
      [
        { streamId: a, streamType: 'counter', expectedVersion: 0, events: [counted(1), counted(2)] },
        { streamId: b, streamType: 'counter', expectedVersion: 0, events: [{ type: 'Counted', data: { n: 3, gone: undefined } }] },
      ],
      { ...meta(), occurredAt },
    );
    expect(results.map((r) => r.nextVersion)).toEqual([2, 1]);
    expect(results[0].events).toEqual(await store.readStream(a));
    expect(results[1].events).toEqual(await store.readStream(b));
    expect(results[1].events[0]).toMatchObject({ occurredAt, data: { n: 3 } });
    expect(results[1].events[0].data).not.toHaveProperty('gone');
  });

  it('rejects an append whose expected version is not the current one', async () => {
    const streamId = `s-${randomUUID()}`;
    await store.append({ streamId, streamType: 'counter', expectedVersion: 0, events: [counted(1)] }, meta());
    await expect(store.append({ streamId, streamType: 'counter', expectedVersion: 0, events: [counted(2)] }, meta())).rejects.toBeInstanceOf(ConcurrencyError);
    await expect(store.append({ streamId, streamType: 'counter', expectedVersion: 5, events: [counted(2)] }, meta())).rejects.toBeInstanceOf(ConcurrencyError);
    expect(await store.readStream(streamId)).toHaveLength(1);
  });

  it('lets exactly one of 50 concurrent appends with the same expected version win', async () => {
    const streamId = `s-${randomUUID()}`;
    await store.append({ streamId, streamType: 'counter', expectedVersion: 0, events: [counted(0)] }, meta());
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) => store.append({ streamId, streamType: 'counter', expectedVersion: 1, events: [counted(i)] }, meta())),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(rejected).toHaveLength(49);
    expect(rejected.every((r) => r.reason instanceof ConcurrencyError)).toBe(true);
    expect((await store.readStream(streamId)).map((e) => e.streamVersion)).toEqual([1, 2]);
  });

  it('turns 50 concurrent commands into a consistent result through the retrying handler', async () => {
    const streamId = `c-${randomUUID()}`;
    const outcomes = await Promise.allSettled(
      Array.from({ length: 50 }, () => handleCommand(store, { streamId, streamType: 'counter' }, counter, { type: 'Increment', by: 1 }, meta(), 100)),
    );
    const events = await store.readStream(streamId);
    const succeeded = outcomes.filter((o) => o.status === 'fulfilled').length;
    // Every success is one event, every total is the running count: no lost update.
    expect(events).toHaveLength(succeeded);
    expect(events.map((e) => e.data.total)).toEqual(events.map((_, i) => i + 1));
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') expect((outcome.reason as DomainError).code).toBe('conflict');
    }
    expect(succeeded).toBeGreaterThan(40);
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
            await store.appendInTransaction(manager, { streamId: `w${w}-${start}-${i}`, streamType: 'counter', expectedVersion: 0, events: [counted(i)] }, meta());
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

  it('lets a transaction that appends to several streams in turn run beside their writers without deadlock', async () => {
    const lines = [`l1-${randomUUID()}`, `l2-${randomUUID()}`];
    for (const streamId of lines) await store.append({ streamId, streamType: 'counter', expectedVersion: 0, events: [counted(0)] }, meta());
    const increment = (streamId: string) => handleCommand(store, { streamId, streamType: 'counter' }, counter, { type: 'Increment', by: 1 }, meta(), 0);
    // Like a saga consumer answering a batch: one decision per stream, in one transaction.
    const batch = () =>
      store.transaction(async (manager) => {
        await store.lockStreams(manager, [...lines].reverse());
        const appended = [];
        for (const streamId of lines) {
          const { events } = await decideInTransaction(store, manager, { streamId, streamType: 'counter' }, counter, (): Command => ({ type: 'Increment', by: 1 }), meta());
          appended.push(...events);
        }
        return { events: appended };
      });
    const failures: unknown[] = [];
    const record = (work: Promise<unknown>) => work.catch((error) => failures.push(error));
    for (let round = 0; round < 15; round++) {
      await Promise.all([record(batch()), record(increment(lines[1])), record(increment(lines[0])), record(batch())]);
    }
    // Version clashes of the plain writers are expected; a deadlock is not.
    expect(failures.filter((error) => (error as { code?: string }).code !== 'conflict')).toEqual([]);
  });

  describe('deciding inside the caller\'s transaction', () => {
    const increment = (streamId: string, by: number, beforeAppend?: (events: Event[]) => Promise<void>) =>
      store.transaction((manager) =>
        decideInTransaction(store, manager, { streamId, streamType: 'counter' }, counter, (): Command => ({ type: 'Increment', by }), meta(), beforeAppend),
      );

    it('decides every concurrent command on the latest state, so none loses a version race', async () => {
      const streamId = `c-${randomUUID()}`;
      await increment(streamId, 1);
      const outcomes = await Promise.allSettled(Array.from({ length: 20 }, () => increment(streamId, 1)));
      expect(outcomes.filter((o) => o.status === 'rejected')).toEqual([]);
      expect((await store.readStream(streamId)).map((e) => e.data.total)).toEqual(Array.from({ length: 21 }, (_, i) => i + 1));
    });

    it('builds the command from the current state and answers the state after the new events', async () => {
      const streamId = `c-${randomUUID()}`;
      await increment(streamId, 5);
      const decided = await store.transaction((manager) =>
        decideInTransaction(store, manager, { streamId, streamType: 'counter' }, counter, (total): Command => ({ type: 'Increment', by: total }), meta()),
      );
      expect(decided.state).toBe(10);
      expect(decided.events.map((e) => [e.streamVersion, e.data])).toEqual([[2, { by: 5, total: 10 }]]);
    });

    it('hands the new events to beforeAppend, and neither calls it nor appends when the decision is empty', async () => {
      const streamId = `c-${randomUUID()}`;
      const seen: Event[][] = [];
      const record = async (events: Event[]) => void seen.push(events);
      await increment(streamId, 2, record);
      const empty = await increment(streamId, 0, record);
      expect(seen).toEqual([[{ type: 'Incremented', data: { by: 2, total: 2 } }]]);
      expect(empty).toEqual({ events: [], state: 2 });
      expect(await store.readStream(streamId)).toHaveLength(1);
    });

    it('announces the appended events once the transaction has committed, and nothing when it rolls back', async () => {
      const announced: number[] = [];
      const listener = (count: number) => announced.push(count);
      store.notifications.on('appended', listener);
      try {
        const streamId = `c-${randomUUID()}`;
        await increment(streamId, 1);
        await expect(
          store.transaction(async (manager) => {
            await decideInTransaction(store, manager, { streamId, streamType: 'counter' }, counter, (): Command => ({ type: 'Increment', by: 1 }), meta());
            throw new Error('the other write failed');
          }),
        ).rejects.toThrow('the other write failed');
        expect(announced).toEqual([1]);
        expect(await store.readStream(streamId)).toHaveLength(1);
      } finally {
        store.notifications.off('appended', listener);
      }
    });
  });

  describe('kept folded states (keepFoldedStates)', () => {
    const kept: Decider<Command, Event, number> = { ...counter };
    keepFoldedStates(kept);
    const increment = (streamId: string) => handleCommand(store, { streamId, streamType: 'counter' }, kept, { type: 'Increment', by: 1 }, meta(), 100);
    /** The state rebuilt from the events alone, by a store that has kept nothing. */
    const rebuilt = async (streamId: string) => (await loadStream(new PostgresEventStore(dataSource), streamId, counter)).state;

    it('gives the state that folding every event from the start gives, through concurrent commands', async () => {
      const streamId = `k-${randomUUID()}`;
      for (let round = 0; round < 5; round++) await Promise.allSettled(Array.from({ length: 8 }, () => increment(streamId)));
      const events = await store.readStream(streamId);
      const loaded = await loadStream(store, streamId, kept);
      expect(loaded).toMatchObject({ state: events.length, version: events.length });
      expect(loaded.state).toBe(await rebuilt(streamId));
      // Loaded again, the kept state is used: nothing is read but the event it was folded up to.
      expect(await loadStream(store, streamId, kept)).toEqual({ state: events.length, version: events.length, events: [] });
      expect(store.foldedStates.get(kept, streamId)).toMatchObject({ version: events.length, lastEventId: events[events.length - 1].eventId });
    });

    it('forgets a state folded from events that were rolled back, and folds the stream again', async () => {
      const streamId = `k-${randomUUID()}`;
      await increment(streamId);
      await expect(
        store.transaction(async (manager) => {
          await decideInTransaction(store, manager, { streamId, streamType: 'counter' }, kept, (): Command => ({ type: 'Increment', by: 10 }), meta());
          // Seen inside the transaction, so kept: total 11 at version 2.
          expect((await loadStream(store, streamId, kept, manager)).state).toBe(11);
          throw new Error('the other write failed');
        }),
      ).rejects.toThrow('the other write failed');
      // Another writer takes version 2 with an event of its own.
      await handleCommand(store, { streamId, streamType: 'counter' }, counter, { type: 'Increment', by: 1 }, meta());
      expect((await loadStream(store, streamId, kept)).state).toBe(2);
      expect(await rebuilt(streamId)).toBe(2);
    });
  });
});
