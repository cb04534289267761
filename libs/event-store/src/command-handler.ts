import type { EntityManager } from 'typeorm';
import { DomainError, fold, type Decider, type DomainEvent } from '@sangam/domain';
import { errorCode } from '@sangam/messaging';
import { ConcurrencyError, type PostgresEventStore } from './event-store';
import type { FoldedState } from './folded-states';
import type { EventMetadata, StoredEvent } from './stored-event';

export const DEFAULT_CONFLICT_RETRIES = 5;

const DEADLOCK_OR_SERIALIZATION = new Set(['40P01', '40001']);

/** A version clash, or Postgres breaking a deadlock between writers of the same streams: both are worth another try. */
const lostARace = (error: unknown): boolean => error instanceof ConcurrencyError || DEADLOCK_OR_SERIALIZATION.has(errorCode(error));

/** Runs `attempt` again when it lost a race with a concurrent writer; after the last retry answers 409. */
export async function withConflictRetries<T>(attempt: () => Promise<T>, retries = DEFAULT_CONFLICT_RETRIES): Promise<T> {
  for (let tries = 0; ; tries++) {
    try {
      return await attempt();
    } catch (error) {
      if (!lostARace(error)) throw error;
      if (tries >= retries) {
        throw new DomainError('conflict', 'The record was changed by a concurrent request; please retry', 'conflict');
      }
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * (tries + 1)));
    }
  }
}

export interface LoadedStream<State> {
  state: State;
  version: number;
  /** The events read: the whole stream, or those after the state the store had kept (see keepFoldedStates). */
  events: StoredEvent[];
}

export async function loadStream<Event extends DomainEvent, State>(
  store: PostgresEventStore,
  streamId: string,
  decider: Pick<Decider<unknown, Event, State>, 'evolve' | 'initialState'>,
  manager?: EntityManager,
): Promise<LoadedStream<State>> {
  const kept = store.foldedStates.get<State>(decider, streamId);
  if (kept) {
    const [last, ...newer] = await store.readStreamFrom(streamId, kept.version, manager);
    if (last?.eventId === kept.lastEventId) return foldAndKeep(store, streamId, decider, kept, newer);
  }
  const events = await store.readStream(streamId, manager);
  return foldAndKeep(store, streamId, decider, { state: decider.initialState(), version: 0, lastEventId: '' }, events);
}

function foldAndKeep<Event extends DomainEvent, State>(
  store: PostgresEventStore,
  streamId: string,
  decider: Pick<Decider<unknown, Event, State>, 'evolve' | 'initialState'>,
  from: FoldedState<State>,
  events: StoredEvent[],
): LoadedStream<State> {
  if (events.length === 0) return { state: from.state, version: from.version, events };
  const state = fold(decider.evolve, from.state, events as unknown as Event[]);
  const last = events[events.length - 1];
  store.foldedStates.keep(decider, streamId, { state, version: last.streamVersion, lastEventId: last.eventId });
  return { state, version: last.streamVersion, events };
}

/**
 * The write path of every aggregate: load the stream, fold it, decide, append with the expected
 * version, and retry from a fresh read when another writer got there first.
 */
export async function handleCommand<Command, Event extends DomainEvent, State>(
  store: PostgresEventStore,
  stream: { streamId: string; streamType: string },
  decider: Decider<Command, Event, State>,
  command: Command,
  metadata: EventMetadata,
  retries = DEFAULT_CONFLICT_RETRIES,
): Promise<{ events: StoredEvent[]; state: State }> {
  return withConflictRetries(async () => {
    const { state, version } = await loadStream(store, stream.streamId, decider);
    const newEvents = decider.decide(command, state);
    const { events } = await store.append({ ...stream, expectedVersion: version, events: newEvents }, metadata);
    return { events, state: fold(decider.evolve, state, newEvents) };
  }, retries);
}

/**
 * handleCommand for a caller that already holds a transaction (a consumer, a background processor,
 * a command that writes other rows too). The stream row is locked first, so the decision is taken
 * on the latest state and the append cannot lose a version race. The command is built from that
 * state; `beforeAppend` writes what the new events change elsewhere, before the append.
 */
export async function decideInTransaction<Command, Event extends DomainEvent, State>(
  store: PostgresEventStore,
  manager: EntityManager,
  stream: { streamId: string; streamType: string },
  decider: Decider<Command, Event, State>,
  commandFor: (state: State) => Command | Promise<Command>,
  metadata: EventMetadata,
  beforeAppend?: (events: Event[]) => Promise<void>,
): Promise<{ events: StoredEvent[]; state: State }> {
  await manager.query(`SELECT 1 FROM streams WHERE stream_id = $1 FOR UPDATE`, [stream.streamId]);
  const { state, version } = await loadStream(store, stream.streamId, decider, manager);
  const newEvents = decider.decide(await commandFor(state), state);
  if (newEvents.length === 0) return { events: [], state };
  await beforeAppend?.(newEvents);
  const { events } = await store.appendInTransaction(manager, { ...stream, expectedVersion: version, events: newEvents }, metadata);
  return { events, state: fold(decider.evolve, state, newEvents) };
}
