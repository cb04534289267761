import { randomUUID } from 'node:crypto';
import { CommandHandler, PostgresEventStore, UnitOfWork } from '@sangam/event-store';
import { openScratchDatabase } from '@sangam/testing';
import { shgDecider, type ShgCommand } from '../apps/groups/src/shgs/domain/shg.decider';
import { SHG_STREAM_TYPE } from '../apps/groups/src/shgs/domain/shg.events';
import '../apps/groups/src/groups.module'; // opts the SHG decider in to kept folded states, as the service does
import { median, round } from './measure';

export interface LongStreamResult {
  longStreamEvents: number;
  /** p50 ms of a deposit (load, fold, decide, append) to a new SHG and to one with `longStreamEvents` events. */
  newShgDepositP50Ms: number;
  longShgDepositP50Ms: number;
  /** The same deposit to the long SHG folding its whole stream every time (the decider not opted in): the "before". */
  longShgDepositFullFoldP50Ms: number;
  /** long / new, with kept states: the target is at most 2. */
  ratio: number;
}

const MEMBERS = 20;
const BATCH = 500;

/** Deposits by the store's write path, as the deposit route makes them. */
export async function benchLongStream(longStreamEvents = 10_000, deposits = 60): Promise<LongStreamResult> {
  const db = await openScratchDatabase('bench_long_stream', 4);
  const store = new PostgresEventStore(db.dataSource);
  const metadata = { correlationId: randomUUID(), causationId: null, actor: { service: 'bench' } };
  const fullFold = { ...shgDecider }; // another object: not opted in
  const handlers = new Map(
    [shgDecider, fullFold].map((decider) => [decider, new CommandHandler(store, { decider, streamType: SHG_STREAM_TYPE })]),
  );
  const execute = (command: ShgCommand, decider = shgDecider) =>
    UnitOfWork.run(db.dataSource, (unit) => handlers.get(decider)!.handle(unit, command.data.shgId, { ...command, metadata }));
  const formShg = async () => {
    const shgId = randomUUID();
    const members = Array.from({ length: MEMBERS }, () => randomUUID());
    await execute({ type: 'FormShg', data: { shgId, name: 'Jai Bhavani', village: 'Kudal', formedOn: '2004-01-15' } });
    for (const memberId of members) await execute({ type: 'EnrolMember', data: { shgId, memberId, name: 'Savita', role: 'member' } });
    return { shgId, members };
  };
  const depositOf = (shg: { shgId: string; members: string[] }, n: number): ShgCommand => ({
    type: 'DepositSavings',
    data: { shgId: shg.shgId, depositId: randomUUID(), memberId: shg.members[n % MEMBERS], amount: 10_000, depositedOn: '2005-06-14' },
  });
  try {
    const long = await formShg();
    // Ten years of weekly savings by 20 women, appended in batches (what the deposits would have appended).
    for (let version = 1 + MEMBERS; version < longStreamEvents; version += BATCH) {
      const count = Math.min(BATCH, longStreamEvents - version);
      const events = Array.from({ length: count }, (_, i) => {
        return { type: 'SavingsDeposited', data: depositOf(long, i).data };
      });
      await store.append({ streamId: long.shgId, streamType: SHG_STREAM_TYPE, expectedVersion: version, events }, metadata);
    }
    const timed = async (command: ShgCommand, decider = shgDecider) => {
      const started = process.hrtime.bigint();
      await execute(command, decider);
      return Number(process.hrtime.bigint() - started) / 1e6;
    };
    const fresh = await formShg();
    const [newShg, longShg, longFullFold]: number[][] = [[], [], []];
    // Alternating, so that the machine's load falls on all three alike.
    for (let n = 0; n < deposits; n++) {
      newShg.push(await timed(depositOf(fresh, n)));
      longShg.push(await timed(depositOf(long, n)));
      // Seconds each on a long stream: a sixth of the samples say enough.
      if (n % 6 === 0) longFullFold.push(await timed(depositOf(long, n), fullFold));
    }
    const [newP50, longP50] = [median(newShg), median(longShg)];
    return {
      longStreamEvents,
      newShgDepositP50Ms: round(newP50),
      longShgDepositP50Ms: round(longP50),
      longShgDepositFullFoldP50Ms: round(median(longFullFold)),
      ratio: round(longP50 / newP50),
    };
  } finally {
    await db.close();
  }
}
