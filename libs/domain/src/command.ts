/**
 * Who made a fact happen: a person (the token's `sub` and `preferred_username`), a bank through a
 * signed webhook, or a service reacting to another event (a saga).
 */
export type Actor = { userId: string; username: string } | { bankId: string } | { service: string };

/** Why and by whom a command was given; the events it produces carry the same. */
export interface CommandMetadata {
  correlationId: string;
  /** The event this command answers (a saga step), null for a request. */
  causationId: string | null;
  actor: Actor;
  /** When the business fact happened as the command states it (defaults to the moment it is recorded). */
  occurredAt?: string;
}

/**
 * The one command shape of every app (Emmett's): a type tag, the data the decider decides on, and
 * the metadata the command path stamps on the new events. Deciders never read `metadata`, so their
 * specs may leave it out; the command path requires it.
 */
export interface Command<Type extends string = string, Data extends object = object> {
  type: Type;
  data: Data;
  metadata?: CommandMetadata;
}
