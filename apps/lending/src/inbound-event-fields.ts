import type { EventEnvelope } from '@sangam/messaging';

/** Another service's event without a field lending relies on is malformed: throwing sends it to the DLQ. */
function missing(envelope: EventEnvelope, name: string): never {
  throw new Error(`${envelope.type} ${envelope.eventId} has no valid ${name}`);
}

/** Reads a text field named in the publisher's contract type `Data`. */
export function textField<Data>(envelope: EventEnvelope, name: keyof Data & string): string {
  const value = (envelope.data as Record<string, unknown>)[name];
  return typeof value === 'string' && value !== '' ? value : missing(envelope, name);
}

export function paiseField<Data>(envelope: EventEnvelope, name: keyof Data & string): bigint {
  const value = (envelope.data as Record<string, unknown>)[name];
  return Number.isSafeInteger(value) ? BigInt(value as number) : missing(envelope, name);
}
