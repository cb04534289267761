/**
 * States folded from a stream, kept between commands so that a long stream is not folded from
 * its first event every time (a deposit to an SHG with ten years of weekly savings).
 *
 * Never a second source of truth: a kept state is only a cache of `fold(evolve, initialState,
 * events 1..version)`. Before it is used, the stream is read from that version on, and the event
 * found there must be the one the state was folded up to (event ids are random, so an event of a
 * transaction that rolled back, or that another transaction cannot see yet, never matches); else
 * the stream is folded from the start again. The decider's `evolve` must be pure and never change
 * the state it is given (every decider here builds a new state), since a kept state is reused.
 */

/** Deciders whose states are kept: a service opts in once per decider, see keepFoldedStates. */
const keptDeciders = new WeakSet<object>();

/** Opts the deciders in: every readState with them (each CommandHandler's reads) keeps their folded states. */
export function keepFoldedStates(...deciders: object[]): void {
  for (const decider of deciders) keptDeciders.add(decider);
}

export interface FoldedState<State> {
  state: State;
  /** The version of the last event folded into `state`, and that event's id. */
  version: number;
  lastEventId: string;
}

/** Bounds the memory: the least recently used streams' states are dropped first. */
const DEFAULT_MAX_STREAMS = 10_000;

/** One store's kept states (one database), by decider and stream. */
export class FoldedStates {
  private readonly byDecider = new WeakMap<object, Map<string, FoldedState<unknown>>>();

  constructor(private readonly maxStreams = DEFAULT_MAX_STREAMS) {}

  get<State>(decider: object, streamId: string): FoldedState<State> | undefined {
    const kept = this.byDecider.get(decider);
    const folded = kept?.get(streamId);
    if (!kept || !folded) return undefined;
    kept.delete(streamId); // re-inserted: a Map iterates in insertion order, so the first key is the least recently used
    kept.set(streamId, folded);
    return folded as FoldedState<State>;
  }

  keep<State>(decider: object, streamId: string, folded: FoldedState<State>): void {
    if (!keptDeciders.has(decider)) return;
    let kept = this.byDecider.get(decider);
    if (!kept) this.byDecider.set(decider, (kept = new Map<string, FoldedState<unknown>>()));
    kept.delete(streamId);
    kept.set(streamId, folded);
    if (kept.size > this.maxStreams) kept.delete(kept.keys().next().value!);
  }
}
