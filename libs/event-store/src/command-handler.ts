import type { EntityManager } from 'typeorm';
import { DomainError, fold, type Command, type CommandMetadata, type Decider, type DomainEvent } from '@sangam/domain';
import { errorCode } from '@sangam/messaging';
import { ConcurrencyError, type PostgresEventStore } from './event-store';
import type { FoldedState } from './folded-states';
import type { StoredEvent } from './stored-event';
import type { UnitOfWork } from './unit-of-work';

const DEFAULT_CONFLICT_RETRIES = 5;

const DEADLOCK_OR_SERIALIZATION = new Set(['40P01', '40001']);

/** A version clash, or Postgres breaking a deadlock between writers of the same streams: both are worth another try. */
const lostARace = (error: unknown): boolean => error instanceof ConcurrencyError || DEADLOCK_OR_SERIALIZATION.has(errorCode(error));

/** A command as the command path takes it: with the metadata its events will carry. */
export type IssuedCommand<C extends Command> = C & { metadata: CommandMetadata };

export interface CommandHandlerOptions<State, C extends Command, Event extends DomainEvent> {
  decider: Decider<State, C, Event>;
  streamType: string;
  /**
   * Tries after a lost race before answering 409 conflict: two commands creating one stream, or
   * Postgres breaking a deadlock. (Commands on an existing stream queue on its row: none loses.)
   */
  retries?: number;
  /**
   * Rows the new events change beside their stream (a fund's ledger): written in the same
   * transaction after the decision and before the append, so rows it locks are locked before the
   * append, the order every writer keeps.
   */
  commitWith?: (manager: EntityManager, events: readonly Event[]) => Promise<void>;
}

export interface Decided<State> {
  events: StoredEvent[];
  /** The stream's state after the new events. */
  state: State;
}

export interface Loaded<State> {
  state: State;
  version: number;
}

/**
 * A stream folded into its state, for a query or a command path. For a decider whose states the
 * service keeps (keepFoldedStates), only the events after the kept state are read and folded.
 * `lock`: the stream's row is locked (until the transaction of `manager` ends) by the same
 * statement that reads it.
 */
export async function readState<State, Event extends DomainEvent>(
  store: PostgresEventStore,
  decider: Pick<Decider<State, never, Event>, 'evolve' | 'initialState'>,
  streamId: string,
  manager?: EntityManager,
  lock?: 'lock',
): Promise<Loaded<State>> {
  const kept = store.foldedStates.get<State>(decider, streamId);
  const read = (fromVersion: number) =>
    lock && manager ? store.readStreamLocked(manager, streamId, fromVersion) : store.readStreamFrom(streamId, fromVersion, manager);
  let events = await read(kept?.version ?? 1);
  if (kept) {
    const [last, ...newer] = events;
    if (last?.eventId === kept.lastEventId) return foldAndKeep(store, streamId, decider, kept, newer);
    events = await store.readStream(streamId, manager);
  }
  return foldAndKeep(store, streamId, decider, { state: decider.initialState(), version: 0, lastEventId: '' }, events);
}

function foldAndKeep<State, Event extends DomainEvent>(
  store: PostgresEventStore,
  streamId: string,
  decider: Pick<Decider<State, never, Event>, 'evolve' | 'initialState'>,
  from: FoldedState<State>,
  events: StoredEvent[],
): Loaded<State> {
  if (events.length === 0) return { state: from.state, version: from.version };
  const state = fold(decider.evolve, from.state, events as unknown as Event[]);
  const last = events[events.length - 1];
  store.foldedStates.keep(decider, streamId, { state, version: last.streamVersion, lastEventId: last.eventId });
  return { state, version: last.streamVersion };
}

/**
 * What takes a command for any stream, whatever its state, commands and events: every CommandHandler
 * is one, as a method's parameters are compared both ways (its options are not: a decider's evolve
 * takes and returns its state, so no other CommandHandler type holds the handlers of several streams).
 */
export type AnyCommandHandler = Pick<CommandHandler<unknown, Command, DomainEvent>, 'handle' | 'decide' | 'handleAcross'>;

/** One stream's command in a decision that changes several streams together. */
export interface StreamCommand {
  handler: AnyCommandHandler;
  streamId: string;
  command: IssuedCommand<Command>;
}

/**
 * The one write path of every aggregate, after Emmett's `CommandHandler({ evolve, initialState })`:
 * in the caller's unit of work, lock the stream's row, read and fold the stream, decide, append with
 * the expected version. The row is locked first because the unit spans the whole request: an
 * optimistic writer would wait for the other's commit on that row anyway, then fail and read again
 * while holding a connection. Each try runs in a savepoint, so a lost race is decided again from a
 * fresh read and a refused command leaves the unit usable.
 */
export class CommandHandler<State, C extends Command, Event extends DomainEvent> {
  constructor(
    private readonly store: PostgresEventStore,
    readonly options: CommandHandlerOptions<State, C, Event>,
  ) {}

  /** The stream's current state and version (through `manager`, in a transaction's own view). */
  read(streamId: string, manager?: EntityManager, lock?: 'lock'): Promise<Loaded<State>> {
    return readState(this.store, this.options.decider, streamId, manager, lock);
  }

  /**
   * The stream's state with its row locked until the unit commits: for a handler that locks other
   * rows (a fund) on what the stream says, in the order every writer keeps (stream, then other
   * rows, then the append).
   */
  readLocked(unit: UnitOfWork, streamId: string): Promise<Loaded<State>> {
    return this.read(streamId, unit.manager, 'lock');
  }

  handle(unit: UnitOfWork, streamId: string, command: IssuedCommand<C>): Promise<Decided<State>> {
    return this.withRetries(unit, async () => {
      // The row is locked by the read: the lock is held to the commit, so each round trip under it counts.
      const decision = await this.decide(unit.manager, streamId, command, 'lock');
      const [decided] = await appendDecisions(this.store, unit, [decision]);
      return decided;
    });
  }

  /**
   * Several callers' commands on one stream, decided one after another on the state each leaves,
   * with one lock, one read and one append (see StreamBatches). A command the decider refuses is
   * answered with its error and changes nothing; the others go on. Anything else thrown fails them all.
   */
  handleEach(unit: UnitOfWork, streamId: string, commands: readonly IssuedCommand<C>[]): Promise<(Decided<State> | DomainError)[]> {
    const { streamType } = this.options;
    return this.withRetries(unit, async () => {
      const loaded = await this.read(streamId, unit.manager, 'lock');
      const outcomes = this.decideEach(loaded.state, commands);
      let state = loaded.state;
      for (const outcome of outcomes) if (!(outcome instanceof DomainError)) state = outcome.state;
      const decision: Decision<State> = {
        streamId,
        streamType,
        version: loaded.version,
        events: eventsOf(outcomes, commands),
        metadata: commands[0].metadata,
        commitWith: (manager) => this.options.commitWith?.(manager, decision.events as Event[]),
        after: () => state,
      };
      const [{ events: stored }] = await appendDecisions(this.store, unit, [decision]);
      // Kept before the commit: the next batch on the kept state appends onto these events, or
      // finds they were never committed (append_events_onto) and comes back here.
      this.keepAppended(streamId, loaded.state, stored);
      return withStoredEvents(outcomes, stored);
    });
  }

  /**
   * handleEach without a transaction or a read, when the stream's folded state is kept and every
   * command is accepted on it: one append_events_onto statement, which fails as a lost race unless
   * the stream is still at the kept state's last event. Null, having written nothing, where that
   * does not hold (no kept state, a command refused on it, a commitWith, an inline projection, a
   * lost race): the caller then takes handleEach, which decides again on a read under the lock.
   */
  async handleOnKeptState(streamId: string, commands: readonly IssuedCommand<C>[]): Promise<Decided<State>[] | null> {
    const { decider, streamType, commitWith } = this.options;
    const kept = this.store.foldedStates.get<State>(decider, streamId);
    if (!kept || commitWith) return null;
    const outcomes = this.decideEach(kept.state, commands);
    const accepted = outcomes.filter((outcome): outcome is { events: Event[]; state: State } => !(outcome instanceof DomainError));
    const events = eventsOf(outcomes, commands);
    if (accepted.length < outcomes.length || events.length === 0) return null;
    const append = { streamId, streamType, expectedVersion: kept.version, events, metadata: commands[0].metadata };
    const appended = await this.store.appendOnto(append, kept.lastEventId).catch((error: unknown) => {
      if (lostARace(error)) return null;
      throw error;
    });
    if (!appended) return null;
    this.keepAppended(streamId, kept.state, appended.events);
    return withStoredEvents(accepted, appended.events) as Decided<State>[];
  }

  /** Keeps the state `stored` leads to from `before`, folded from the events as stored (as a reader would fold them). */
  private keepAppended(streamId: string, before: State, stored: readonly StoredEvent[]): void {
    const last = stored[stored.length - 1];
    if (!last) return;
    const state = this.evolveAll(before, stored);
    this.store.foldedStates.keep(this.options.decider, streamId, { state, version: last.streamVersion, lastEventId: last.eventId });
  }

  /** Each command decided on the state the previous one left; a refused one changes nothing. */
  private decideEach(state: State, commands: readonly IssuedCommand<C>[]): ({ events: Event[]; state: State } | DomainError)[] {
    return commands.map((command) => {
      try {
        const events = this.options.decider.decide(command, state);
        state = this.evolveAll(state, events);
        return { events, state };
      } catch (error) {
        if (error instanceof DomainError) return error;
        throw error;
      }
    });
  }

  /** Several streams decide on their own states and append in one transaction: they never disagree. */
  static handleAcrossStreams(unit: UnitOfWork, commands: StreamCommand[]): Promise<Decided<unknown>[]> {
    return commands[0].handler.handleAcross(unit, commands);
  }

  /** `handleAcrossStreams` with this handler's store and retries (the first stream's). */
  async handleAcross(unit: UnitOfWork, commands: readonly StreamCommand[]): Promise<Decided<unknown>[]> {
    const { store } = this;
    return this.withRetries(unit, async () => {
      // Every stream's row first, in one order: two writers of the same streams never wait for each other in a cycle.
      await store.lockStreams(
        unit.manager,
        commands.map((c) => c.streamId),
      );
      // One after another: the unit's connection runs one query at a time.
      const outcomes: (Decision<unknown> | Error)[] = [];
      for (const c of commands) outcomes.push(await c.handler.decide(unit.manager, c.streamId, c.command).catch(asError));
      const errors = outcomes.filter((o): o is Error => o instanceof Error);
      // An unknown id is answered before a broken rule, whichever stream finds it.
      if (errors.length > 0) throw errors.find(isNotFound) ?? errors[0];
      return appendDecisions(store, unit, outcomes as Decision<unknown>[]);
    });
  }

  /** The command decided on the stream's state as `manager` reads it, not yet appended: for `handleAcross`. */
  async decide(manager: EntityManager, streamId: string, command: IssuedCommand<C>, lock?: 'lock'): Promise<Decision<State>> {
    const { state, version } = await this.read(streamId, manager, lock);
    const events = this.options.decider.decide(command, state);
    return {
      streamId,
      streamType: this.options.streamType,
      version,
      events,
      metadata: command.metadata,
      commitWith: (manager) => this.options.commitWith?.(manager, events),
      after: () => this.evolveAll(state, events),
    };
  }

  private withRetries<T>(unit: UnitOfWork, attempt: () => Promise<T>): Promise<T> {
    return withConflictRetries(() => unit.savepoint(attempt), this.options.retries);
  }

  /** Folds the appended events onto the state they were decided on. */
  evolveAll(state: State, events: readonly DomainEvent[]): State {
    return fold(this.options.decider.evolve, state, events as Event[]);
  }
}

/** One stream's decided events, before they are appended. */
export interface Decision<State> {
  streamId: string;
  streamType: string;
  version: number;
  events: DomainEvent[];
  metadata: CommandMetadata;
  /** The handler's `commitWith`, for these events. */
  commitWith: (manager: EntityManager) => Promise<void> | undefined;
  /** The stream's state after these events. */
  after: () => State;
}

/** Appends in stream-id order (the order the store locks rows in), announcing the events once the unit commits. */
async function appendDecisions<State>(
  store: PostgresEventStore,
  unit: UnitOfWork,
  decisions: Decision<State>[],
): Promise<Decided<State>[]> {
  const appended = new Map<Decision<State>, StoredEvent[]>();
  for (const decision of [...decisions].sort((a, b) => (a.streamId < b.streamId ? -1 : a.streamId > b.streamId ? 1 : 0))) {
    const { streamId, streamType, version, events, metadata } = decision;
    if (events.length === 0) continue;
    await decision.commitWith(unit.manager);
    const result = await store.appendInTransaction(unit.manager, { streamId, streamType, expectedVersion: version, events }, metadata);
    appended.set(decision, result.events);
  }
  const count = [...appended.values()].reduce((sum, events) => sum + events.length, 0);
  if (count > 0) unit.afterCommit(() => store.notifications.emit('appended', count));
  return decisions.map((d) => ({ events: appended.get(d) ?? [], state: d.after() }));
}

/** The accepted commands' events, each with its own command's metadata. */
function eventsOf<Event extends DomainEvent, C extends Command>(
  outcomes: readonly ({ events: Event[] } | DomainError)[],
  commands: readonly IssuedCommand<C>[],
): Event[] {
  return outcomes.flatMap((outcome, i) =>
    outcome instanceof DomainError ? [] : outcome.events.map((event) => ({ ...event, metadata: commands[i].metadata })),
  );
}

/** Each accepted outcome with its share of the stored events, in order; a refusal as it was. */
function withStoredEvents<State>(
  outcomes: readonly ({ events: DomainEvent[]; state: State } | DomainError)[],
  stored: StoredEvent[],
): (Decided<State> | DomainError)[] {
  let next = 0;
  return outcomes.map((outcome) =>
    outcome instanceof DomainError ? outcome : { events: stored.slice(next, (next += outcome.events.length)), state: outcome.state },
  );
}

const asError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));

const isNotFound = (error: Error) => error instanceof DomainError && error.category === 'not_found';

/** Runs `attempt` again when it lost a race with a concurrent writer; after the last retry answers 409. */
async function withConflictRetries<T>(attempt: () => Promise<T>, retries = DEFAULT_CONFLICT_RETRIES): Promise<T> {
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
