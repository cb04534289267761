import { DomainError, type Decider, type DomainEvent } from '@sangam/domain';
import { loadStream, withConflictRetries, type AppendResult, type EventMetadata, type PostgresEventStore } from '@sangam/event-store';
import { CONFLICT_RETRIES } from './conflict-retries';

interface Prepared {
  version: number;
  decide: () => DomainEvent[];
}

/** One stream's part of a command that changes several streams together. */
export interface StreamDecision {
  streamId: string;
  streamType: string;
  prepare: (store: PostgresEventStore) => Promise<Prepared>;
}

export const onStream = <Command, Event extends DomainEvent, State>(
  stream: { streamId: string; streamType: string },
  decider: Decider<Command, Event, State>,
  command: Command,
): StreamDecision => ({
  ...stream,
  prepare: async (store) => {
    const { state, version } = await loadStream(store, stream.streamId, decider);
    return { version, decide: () => decider.decide(command, state) };
  },
});

const decideOrError = (prepared: Prepared): DomainEvent[] | Error => {
  try {
    return prepared.decide();
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
};

const isNotFound = (error: Error) => error instanceof DomainError && error.category === 'not_found';

/**
 * Every stream decides on its own state, then all of them are appended in one transaction with
 * their expected versions: the streams can never disagree. An unknown id is answered before a
 * broken rule, whichever stream finds it.
 */
export async function handleCommandAcrossStreams(
  store: PostgresEventStore,
  decisions: StreamDecision[],
  metadata: EventMetadata,
): Promise<AppendResult[]> {
  return withConflictRetries(async () => {
    const prepared = await Promise.all(decisions.map((d) => d.prepare(store)));
    const outcomes = prepared.map(decideOrError);
    const errors = outcomes.filter((o): o is Error => o instanceof Error);
    if (errors.length > 0) throw errors.find(isNotFound) ?? errors[0];
    return store.appendToStreams(
      decisions.map((d, i) => ({
        streamId: d.streamId,
        streamType: d.streamType,
        expectedVersion: prepared[i].version,
        events: outcomes[i] as DomainEvent[],
      })),
      metadata,
    );
  }, CONFLICT_RETRIES);
}
