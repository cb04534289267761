import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { DomainError, NotFoundError, type Decider } from '@sangam/domain';
import { openScratchDatabase } from '@sangam/testing';
import { CommandHandler, keepFoldedStates, PostgresEventStore, readState, UnitOfWork, type CommandHandlerOptions } from '../src';

const meta = () => ({ correlationId: randomUUID(), causationId: null, actor: { service: 'test' } });

type Command = { type: 'Increment'; data: { by: number } };
type Event = { type: 'Incremented'; data: { by: number; total: number } };
const counter: Decider<number, Command, Event> = {
  initialState: () => 0,
  evolve: (_, event) => event.data.total,
  decide: ({ data: { by } }, total) => (by === 0 ? [] : [{ type: 'Incremented', data: { by, total: total + by } }]),
};
/** A counter that must exist before it is incremented (a missing stream is not_found) and stops at 100. */
const strictCounter: Decider<number, Command, Event> = {
  ...counter,
  decide: (command, total) => {
    if (total === 0) throw new NotFoundError('Counter', 'unknown');
    if (total + command.data.by > 100) throw new DomainError('over_limit', 'A counter stops at 100');
    return counter.decide(command, total);
  },
};
const increment = (by: number) => ({ type: 'Increment' as const, data: { by }, metadata: meta() });

describe('CommandHandler against Postgres', () => {
  let db: Awaited<ReturnType<typeof openScratchDatabase>>;
  let dataSource: DataSource;
  let store: PostgresEventStore;
  const handler = (options: Partial<CommandHandlerOptions<number, Command, Event>> = {}) =>
    new CommandHandler(store, { decider: counter, streamType: 'counter', ...options });
  const totals = async (streamId: string) => (await store.readStream(streamId)).map((e) => (e.data as Event['data']).total);

  beforeAll(async () => {
    db = await openScratchDatabase('commands');
    dataSource = db.dataSource;
    store = new PostgresEventStore(dataSource);
  });
  afterAll(() => db.close());

  it('decides again from a fresh read after a lost race, and answers 409 conflict once the retries are spent', async () => {
    // Another writer creates the stream between this handler's read and its append, once.
    const racedOnce = (streamId: string, retries: number) => {
      let intrusions = 1;
      const intrude = async () => {
        const { state, version } = await handler().read(streamId);
        await store.append(
          {
            streamId,
            streamType: 'counter',
            expectedVersion: version,
            events: [{ type: 'Incremented', data: { by: 10, total: state + 10 } }],
          },
          meta(),
        );
      };
      return handler({ retries, commitWith: async () => (intrusions-- > 0 ? intrude() : undefined) });
    };
    const retried = `c-${randomUUID()}`;
    await UnitOfWork.run(dataSource, (unit) => racedOnce(retried, 1).handle(unit, retried, increment(1)));
    expect(await totals(retried)).toEqual([10, 11]);
    const spent = `c-${randomUUID()}`;
    await expect(UnitOfWork.run(dataSource, (unit) => racedOnce(spent, 0).handle(unit, spent, increment(1)))).rejects.toMatchObject({
      code: 'conflict',
    });
    expect(await totals(spent)).toEqual([10]);
  });

  it('queues 50 concurrent commands on the stream row, so none loses a race and none is lost', async () => {
    const streamId = `c-${randomUUID()}`;
    const counters = handler({ retries: 0 });
    await UnitOfWork.run(dataSource, (unit) => counters.handle(unit, streamId, increment(1)));
    const outcomes = await Promise.allSettled(
      Array.from({ length: 50 }, () => UnitOfWork.run(dataSource, (unit) => counters.handle(unit, streamId, increment(1)))),
    );
    expect(outcomes.filter((o) => o.status === 'rejected')).toEqual([]);
    expect(await totals(streamId)).toEqual(Array.from({ length: 51 }, (_, i) => i + 1));
  });

  it('answers the state after the new events, and appends nothing for an empty decision', async () => {
    const streamId = `c-${randomUUID()}`;
    const counters = handler();
    const decided = await UnitOfWork.run(dataSource, (unit) => counters.handle(unit, streamId, increment(5)));
    expect(decided.state).toBe(5);
    expect(decided.events.map((e) => [e.streamVersion, e.data])).toEqual([[1, { by: 5, total: 5 }]]);
    expect(await UnitOfWork.run(dataSource, (unit) => counters.handle(unit, streamId, increment(0)))).toEqual({ events: [], state: 5 });
    expect(await totals(streamId)).toEqual([5]);
  });

  it('writes commitWith in the transaction of the events, and not at all for an empty decision or a rollback', async () => {
    await dataSource.query(`CREATE TABLE IF NOT EXISTS ledger (stream_id text, moved int)`);
    const record = (manager: EntityManager, events: readonly Event[]) =>
      manager.query(`INSERT INTO ledger (stream_id, moved) VALUES ($1, $2)`, [
        events[0].data.total === 0 ? 'none' : streamId,
        events.reduce((sum, e) => sum + e.data.by, 0),
      ]);
    const streamId = `c-${randomUUID()}`;
    const counters = handler({ commitWith: record });
    await UnitOfWork.run(dataSource, (unit) => counters.handle(unit, streamId, increment(2)));
    await UnitOfWork.run(dataSource, (unit) => counters.handle(unit, streamId, increment(0)));
    await expect(
      UnitOfWork.run(dataSource, async (unit) => {
        await counters.handle(unit, streamId, increment(3));
        throw new Error('the rest of the request failed');
      }),
    ).rejects.toThrow('the rest of the request failed');
    expect(await dataSource.query(`SELECT moved FROM ledger WHERE stream_id = $1`, [streamId])).toEqual([{ moved: 2 }]);
    expect(await totals(streamId)).toEqual([2]);
  });

  it('announces the appended events once the unit has committed, and nothing when it rolls back', async () => {
    const announced: number[] = [];
    const listener = (count: number) => announced.push(count);
    store.notifications.on('appended', listener);
    try {
      const streamId = `c-${randomUUID()}`;
      const counters = handler();
      await UnitOfWork.run(dataSource, async (unit) => {
        await counters.handle(unit, streamId, increment(1));
        expect(announced).toEqual([]);
      });
      expect(announced).toEqual([1]);
      await expect(
        UnitOfWork.run(dataSource, async (unit) => {
          await counters.handle(unit, streamId, increment(1));
          throw new Error('the other write failed');
        }),
      ).rejects.toThrow('the other write failed');
      expect(announced).toEqual([1]);
      expect(await totals(streamId)).toEqual([1]);
    } finally {
      store.notifications.off('appended', listener);
    }
  });

  it('answers a committed unit as done when an effect after its commit fails, and tells the failure as a warning', async () => {
    const warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const failingListener = () => {
      throw new Error('a nudge failed');
    };
    store.notifications.on('appended', failingListener);
    try {
      const streamId = `c-${randomUUID()}`;
      const decided = await UnitOfWork.run(dataSource, (unit) => handler().handle(unit, streamId, increment(3)));
      expect(decided.state).toBe(3);
      expect(await totals(streamId)).toEqual([3]);
      expect(warn).toHaveBeenCalledWith('an effect after a commit failed: a nudge failed', { code: 'SANGAM_AFTER_COMMIT' });
    } finally {
      store.notifications.off('appended', failingListener);
      warn.mockRestore();
    }
  });

  it('leaves the unit usable after a refused command, undoing only that command', async () => {
    const streamId = `c-${randomUUID()}`;
    const strict = new CommandHandler(store, { decider: strictCounter, streamType: 'counter' });
    await UnitOfWork.run(dataSource, (unit) => handler().handle(unit, streamId, increment(99)));
    await UnitOfWork.run(dataSource, async (unit) => {
      await expect(strict.handle(unit, streamId, increment(2))).rejects.toMatchObject({ code: 'over_limit' });
      await strict.handle(unit, streamId, increment(1));
    });
    expect(await totals(streamId)).toEqual([99, 100]);
  });

  it('undoes, on a refusal, only the refused command, whatever succeeded before it in the unit and around it', async () => {
    const [first, second] = [`c-${randomUUID()}`, `c-${randomUUID()}`];
    const strict = new CommandHandler(store, { decider: strictCounter, streamType: 'counter' });
    await UnitOfWork.run(dataSource, async (unit) => {
      await handler().handle(unit, first, increment(98));
      await handler().handle(unit, second, increment(50));
      await expect(strict.handle(unit, first, increment(5))).rejects.toMatchObject({ code: 'over_limit' });
      // A request's own savepoint (the idempotency interceptor's) around commands: its failure undoes what succeeded in it.
      await expect(
        unit.savepoint(async () => {
          await strict.handle(unit, first, increment(1));
          await strict.handle(unit, second, increment(1));
          throw new DomainError('refused_later', 'refused after the commands succeeded');
        }),
      ).rejects.toMatchObject({ code: 'refused_later' });
      await strict.handle(unit, first, increment(2));
    });
    expect(await totals(first)).toEqual([98, 100]);
    expect(await totals(second)).toEqual([50]);
  });

  describe('across streams', () => {
    const strict = () => new CommandHandler(store, { decider: strictCounter, streamType: 'counter' });

    it('appends to every stream in one transaction, or to none when one refuses', async () => {
      const [a, b] = [`a-${randomUUID()}`, `b-${randomUUID()}`];
      await UnitOfWork.run(dataSource, (unit) => handler().handle(unit, a, increment(1)));
      await UnitOfWork.run(dataSource, (unit) => handler().handle(unit, b, increment(99)));
      const both = (by: number) =>
        UnitOfWork.run(dataSource, (unit) =>
          CommandHandler.handleAcrossStreams(unit, [
            { handler: strict(), streamId: a, command: increment(by) },
            { handler: strict(), streamId: b, command: increment(by) },
          ]),
        );
      await expect(both(2)).rejects.toMatchObject({ code: 'over_limit' });
      expect([await totals(a), await totals(b)]).toEqual([[1], [99]]);
      const decided = await both(1);
      expect(decided.map((d) => d.state)).toEqual([2, 100]);
      expect([await totals(a), await totals(b)]).toEqual([
        [1, 2],
        [99, 100],
      ]);
    });

    it('answers an unknown stream before a broken rule, whichever stream finds it', async () => {
      const known = `b-${randomUUID()}`;
      await UnitOfWork.run(dataSource, (unit) => handler().handle(unit, known, increment(100)));
      const outcome = UnitOfWork.run(dataSource, (unit) =>
        CommandHandler.handleAcrossStreams(unit, [
          { handler: strict(), streamId: known, command: increment(1) },
          { handler: strict(), streamId: `a-${randomUUID()}`, command: increment(1) },
        ]),
      );
      await expect(outcome).rejects.toMatchObject({ code: 'not_found' });
    });

    it('never deadlocks beside writers of the same streams, whatever order each names them in', async () => {
      const lines = [`l1-${randomUUID()}`, `l2-${randomUUID()}`];
      for (const streamId of lines) await UnitOfWork.run(dataSource, (unit) => handler().handle(unit, streamId, increment(1)));
      const across = (order: string[]) =>
        UnitOfWork.run(dataSource, (unit) =>
          CommandHandler.handleAcrossStreams(
            unit,
            order.map((streamId) => ({ handler: handler(), streamId, command: increment(1) })),
          ),
        );
      const single = (streamId: string) => UnitOfWork.run(dataSource, (unit) => handler().handle(unit, streamId, increment(1)));
      const failures: unknown[] = [];
      const record = (work: Promise<unknown>) => work.catch((error) => failures.push(error));
      for (let round = 0; round < 15; round++) {
        await Promise.all([
          record(across(lines)),
          record(single(lines[1])),
          record(single(lines[0])),
          record(across([...lines].reverse())),
        ]);
      }
      expect(failures).toEqual([]);
      expect(await totals(lines[0])).toEqual(Array.from({ length: 46 }, (_, i) => i + 1));
    });
  });

  describe('kept folded states (keepFoldedStates)', () => {
    const kept: Decider<number, Command, Event> = { ...counter };
    keepFoldedStates(kept);
    const keeping = () => handler({ decider: kept, retries: 100 });
    const incrementKept = (streamId: string) => UnitOfWork.run(dataSource, (unit) => keeping().handle(unit, streamId, increment(1)));
    /** Increments by `by` and keeps the state seen inside the transaction (`seenInside`), which then rolls back. */
    const keptThenRolledBack = async (streamId: string, by: number, seenInside: number) =>
      expect(
        UnitOfWork.run(dataSource, async (unit) => {
          await keeping().handle(unit, streamId, increment(by));
          expect((await readState(store, kept, streamId, unit.manager)).state).toBe(seenInside);
          throw new Error('the other write failed');
        }),
      ).rejects.toThrow('the other write failed');
    /** The state rebuilt from the events alone, by a store that has kept nothing. */
    const rebuilt = async (streamId: string) => (await readState(new PostgresEventStore(dataSource), counter, streamId)).state;

    it('gives the state that folding every event from the start gives, through concurrent commands', async () => {
      const streamId = `k-${randomUUID()}`;
      for (let round = 0; round < 5; round++) await Promise.allSettled(Array.from({ length: 8 }, () => incrementKept(streamId)));
      const events = await store.readStream(streamId);
      expect(await readState(store, kept, streamId)).toEqual({ state: events.length, version: events.length });
      expect(await rebuilt(streamId)).toBe(events.length);
      // The kept state is the one folded up to the last event: read again, only that event is read.
      expect(store.foldedStates.get(kept, streamId)).toMatchObject({
        version: events.length,
        lastEventId: events[events.length - 1].eventId,
      });
    });

    it('forgets a state folded from events that were rolled back, and folds the stream again', async () => {
      const streamId = `k-${randomUUID()}`;
      await incrementKept(streamId);
      // Seen inside the transaction, so kept: total 11 at version 2.
      await keptThenRolledBack(streamId, 10, 11);
      // Another writer takes version 2 with an event of its own.
      await UnitOfWork.run(dataSource, (unit) => handler().handle(unit, streamId, increment(1)));
      expect((await readState(store, kept, streamId)).state).toBe(2);
      expect(await rebuilt(streamId)).toBe(2);
    });

    describe('commands decided on the kept state (handleOnKeptState)', () => {
      const onKeptState = (streamId: string, ...bys: number[]) => keeping().handleOnKeptState(streamId, bys.map(increment));
      /** A stream of one event whose state this store keeps (kept once a read has folded an event). */
      const keptStream = async () => {
        const streamId = `k-${randomUUID()}`;
        await incrementKept(streamId);
        await readState(store, kept, streamId);
        expect(store.foldedStates.get(kept, streamId)).toMatchObject({ state: 1, version: 1 });
        return streamId;
      };
      const statementsOf = async <T>(work: () => Promise<T>): Promise<{ result: T; statements: string[] }> => {
        const query = jest.spyOn(dataSource.manager, 'query');
        try {
          const result = await work();
          return { result, statements: query.mock.calls.map(([sql]) => (typeof sql === 'string' ? sql : (sql as { text: string }).text)) };
        } finally {
          query.mockRestore();
        }
      };

      it('appends in one statement, without a transaction or a read, each command on the state the one before left', async () => {
        const streamId = await keptStream();
        const { result, statements } = await statementsOf(() => onKeptState(streamId, 2, 3));
        expect(statements).toEqual([expect.stringContaining('append_events_onto')]);
        expect(result?.map((d) => [d.state, d.events.map((e) => e.streamVersion)])).toEqual([
          [3, [2]],
          [6, [3]],
        ]);
        expect(await totals(streamId)).toEqual([1, 3, 6]);
        expect(await rebuilt(streamId)).toBe(6);
        // What it appended is kept: the next batch goes the same way.
        expect((await onKeptState(streamId, 4))?.map((d) => d.state)).toEqual([10]);
        expect(await totals(streamId)).toEqual([1, 3, 6, 10]);
      });

      it('writes nothing and answers null when another writer has moved the stream on since the kept state', async () => {
        const streamId = await keptStream();
        // Another instance's write: this store's kept state is not told of it.
        await store.append(
          { streamId, streamType: 'counter', expectedVersion: 1, events: [{ type: 'Incremented', data: { by: 5, total: 6 } }] },
          meta(),
        );
        expect(await onKeptState(streamId, 1)).toBeNull();
        expect(await totals(streamId)).toEqual([1, 6]);
        // The usual path decides on a fresh read, and keeps what it read.
        await incrementKept(streamId);
        expect(await totals(streamId)).toEqual([1, 6, 7]);
      });

      it('never appends on a state folded from events that were rolled back, though the stream is at the same version', async () => {
        const streamId = `k-${randomUUID()}`;
        await incrementKept(streamId);
        await keptThenRolledBack(streamId, 50, 51);
        // Version 2 taken by another writer: a version check alone would let the kept total of 51 through.
        await store.append(
          { streamId, streamType: 'counter', expectedVersion: 1, events: [{ type: 'Incremented', data: { by: 1, total: 2 } }] },
          meta(),
        );
        expect(store.foldedStates.get(kept, streamId)).toMatchObject({ version: 2 });
        expect(await onKeptState(streamId, 1)).toBeNull();
        expect(await totals(streamId)).toEqual([1, 2]);
      });

      it('leaves to the usual path a batch with a command refused on the kept state, writing nothing', async () => {
        const strictKept: Decider<number, Command, Event> = { ...strictCounter };
        keepFoldedStates(strictKept);
        const strict = () => handler({ decider: strictKept });
        const streamId = `k-${randomUUID()}`;
        await UnitOfWork.run(dataSource, (unit) => handler().handle(unit, streamId, increment(90)));
        await UnitOfWork.run(dataSource, (unit) => strict().handle(unit, streamId, increment(1)));
        expect(await strict().handleOnKeptState(streamId, [increment(2), increment(20)])).toBeNull();
        expect(await totals(streamId)).toEqual([90, 91]);
      });

      it('keeps what a batch of the usual path appended, so the next batch appends onto it; unless that batch rolled back', async () => {
        const streamId = `k-${randomUUID()}`;
        const viaLockedPath = (by: number) => UnitOfWork.run(dataSource, (unit) => keeping().handleEach(unit, streamId, [increment(by)]));
        await viaLockedPath(1);
        await viaLockedPath(2);
        expect((await onKeptState(streamId, 3))?.map((d) => d.state)).toEqual([6]);
        await expect(
          UnitOfWork.run(dataSource, async (unit) => {
            await keeping().handleEach(unit, streamId, [increment(100)]);
            throw new Error('the other write failed');
          }),
        ).rejects.toThrow('the other write failed');
        expect(await onKeptState(streamId, 1)).toBeNull();
        await viaLockedPath(1);
        expect(await totals(streamId)).toEqual([1, 3, 6, 7]);
      });

      it('needs a kept state: a stream no command has read here goes the usual way', async () => {
        const streamId = `k-${randomUUID()}`;
        await UnitOfWork.run(dataSource, (unit) => handler().handle(unit, streamId, increment(1)));
        expect(await onKeptState(streamId, 1)).toBeNull();
        expect(await totals(streamId)).toEqual([1]);
      });
    });
  });
});
