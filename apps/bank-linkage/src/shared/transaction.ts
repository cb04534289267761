import { fold, type Decider, type DomainEvent } from '@sangam/domain';
import type { EventMetadata, PostgresEventStore, StoredEvent } from '@sangam/event-store';
import type { DataSource, EntityManager } from 'typeorm';

/**
 * handleCommand for a caller that already holds a transaction (a consumer, the webhook processor,
 * a command that writes other rows too). The stream row is locked first, so the decision is taken
 * on the latest state and the append cannot lose a version race.
 */
export async function decideInTransaction<Command, Event extends DomainEvent, State>(
  store: PostgresEventStore,
  manager: EntityManager,
  stream: { streamId: string; streamType: string },
  decider: Decider<Command, Event, State>,
  command: Command,
  metadata: EventMetadata,
): Promise<{ events: StoredEvent[]; state: State }> {
  await manager.query(`SELECT 1 FROM streams WHERE stream_id = $1 FOR UPDATE`, [stream.streamId]);
  const history = await store.readStream(stream.streamId, manager);
  const state = fold(decider.evolve, decider.initialState(), history as unknown as Event[]);
  const newEvents = decider.decide(command, state);
  const expectedVersion = history.length === 0 ? 0 : history[history.length - 1].streamVersion;
  const { events } = await store.appendInTransaction(manager, { ...stream, expectedVersion, events: newEvents }, metadata);
  return { events, state: fold(decider.evolve, state, newEvents) };
}

/** Runs `work` so that its failure undoes only its own writes and leaves the surrounding transaction usable. */
export async function withSavepoint<T>(manager: EntityManager, work: () => Promise<T>): Promise<T> {
  await manager.query('SAVEPOINT attempt');
  try {
    const result = await work();
    await manager.query('RELEASE SAVEPOINT attempt');
    return result;
  } catch (error) {
    await manager.query('ROLLBACK TO SAVEPOINT attempt');
    throw error;
  }
}

/** Commits `work`, then wakes the outbox relay for the events it appended (appendInTransaction does not). */
export async function commitEvents<T extends { events: StoredEvent[] }>(
  dataSource: DataSource,
  store: PostgresEventStore,
  work: (manager: EntityManager) => Promise<T>,
): Promise<T> {
  const result = await dataSource.transaction(work);
  if (result.events.length > 0) store.notifications.emit('appended', result.events.length);
  return result;
}
