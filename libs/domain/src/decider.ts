import type { Command } from './command';

/** An event as the domain sees it: a type tag and its data. */
export interface DomainEvent<Type extends string = string, Data extends object = object> {
  type: Type;
  data: Data;
}

/**
 * A decider, in Emmett's order `Decider<State, Command, Event>`: `decide` turns a command and the
 * current state into new events (or throws a DomainError), `evolve` folds one event into the
 * state, `initialState` is the state of a stream with no events.
 */
export interface Decider<State, C extends Command, Event extends DomainEvent> {
  initialState: () => State;
  evolve: (state: State, event: Event) => State;
  decide: (command: C, state: State) => Event[];
}

export const fold = <Event, State>(evolve: (state: State, event: Event) => State, initial: State, events: readonly Event[]): State =>
  events.reduce(evolve, initial);
