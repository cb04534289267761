import { randomUUID } from 'node:crypto';
import type { Decider } from '@sangam/domain';
import { CommandHandler, PostgresEventStore, UnitOfWork } from '@sangam/event-store';
import { openScratchDatabase } from '@sangam/testing';

export interface CommandPathResult {
  commands: number;
  /** Commands through CommandHandler.handle, each in a unit of work of its own (as a request without a key). */
  commandsPerSecond: number;
  /** The peer, in the same run: a bare append of the same one event per command, at a version the caller tracks. */
  bareAppendsPerSecond: number;
  /** commandsPerSecond / bareAppendsPerSecond: what reading, deciding and the unit of work cost, machine aside. */
  ratioToBareAppend: number;
}

type Increment = { type: 'Increment'; data: { by: number } };
type Incremented = { type: 'Incremented'; data: { by: number; total: number } };
const counter: Decider<number, Increment, Incremented> = {
  initialState: () => 0,
  evolve: (_, event) => event.data.total,
  decide: ({ data: { by } }, total) => [{ type: 'Incremented', data: { by, total: total + by } }],
};

const perSecond = (count: number, startedAt: bigint) => Math.round(count / (Number(process.hrtime.bigint() - startedAt) / 1e9));

/** Runs `one` for every slot of a round-robin over the streams: concurrent workers never meet on a stream. */
async function roundRobin(
  commands: number,
  streams: number,
  concurrency: number,
  one: (streamId: string, version: number) => Promise<unknown>,
): Promise<number> {
  const streamIds = Array.from({ length: streams }, () => randomUUID());
  const queue = Array.from({ length: commands / streams }, () => streamIds).flat();
  const versions = new Map<string, number>();
  let next = 0;
  const startedAt = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < queue.length) {
        const streamId = queue[next++];
        const version = versions.get(streamId) ?? 0;
        versions.set(streamId, version + 1);
        await one(streamId, version);
      }
    }),
  );
  return perSecond(queue.length, startedAt);
}

/** A one-event command on streams that grow to commands / streams events, through the command path and bare. */
export async function benchCommandPath(commands = 3_000, streams = 300, concurrency = 8): Promise<CommandPathResult> {
  const db = await openScratchDatabase('bench_commands', concurrency + 2);
  try {
    const store = new PostgresEventStore(db.dataSource);
    const handler = new CommandHandler(store, { decider: counter, streamType: 'bench' });
    const metadata = { correlationId: randomUUID(), causationId: null, actor: { service: 'bench' } };
    const commandsPerSecond = await roundRobin(commands, streams, concurrency, (streamId) =>
      UnitOfWork.run(db.dataSource, (unit) => handler.handle(unit, streamId, { type: 'Increment', data: { by: 1 }, metadata })),
    );
    const bareAppendsPerSecond = await roundRobin(commands, streams, concurrency, (streamId, version) =>
      store.append(
        { streamId, streamType: 'bench', expectedVersion: version, events: [{ type: 'Incremented', data: { by: 1, total: version + 1 } }] },
        metadata,
      ),
    );
    return {
      commands,
      commandsPerSecond,
      bareAppendsPerSecond,
      ratioToBareAppend: Number((commandsPerSecond / bareAppendsPerSecond).toFixed(3)),
    };
  } finally {
    await db.close();
  }
}
