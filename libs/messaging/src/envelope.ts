import type { IHeaders, KafkaMessage, Message } from 'kafkajs';
import type { Actor } from '@sangam/domain';

export type { Actor };

/** The contract's Kafka envelope: the JSON value of every message on the event topics. */
export interface EventEnvelope<Data = unknown> {
  eventId: string;
  type: string;
  streamId: string;
  streamVersion: number;
  occurredAt: string;
  recordedAt: string;
  correlationId: string;
  causationId: string | null;
  /** Null only on events recorded before actors were kept. */
  actor: Actor | null;
  schemaVersion: number;
  data: Data;
}

export class MalformedMessageError extends Error {
  constructor(reason: string) {
    super(`Malformed event message: ${reason}`);
    this.name = 'MalformedMessageError';
  }
}

/** Keyed by stream id so that one stream stays on one partition, in order. */
export const encodeEnvelope = (envelope: EventEnvelope): Message => ({
  key: envelope.streamId,
  value: JSON.stringify(envelope),
  headers: { type: envelope.type, eventId: envelope.eventId },
});

export function decodeEnvelope(message: Pick<KafkaMessage, 'value'>): EventEnvelope {
  if (!message.value) throw new MalformedMessageError('empty value');
  let parsed: unknown;
  try {
    parsed = JSON.parse(message.value.toString('utf8'));
  } catch {
    throw new MalformedMessageError('value is not JSON');
  }
  const envelope = parsed as Partial<EventEnvelope>;
  for (const field of ['eventId', 'type', 'streamId'] as const) {
    if (typeof envelope[field] !== 'string') throw new MalformedMessageError(`missing ${field}`);
  }
  if (typeof envelope.streamVersion !== 'number') throw new MalformedMessageError('missing streamVersion');
  if (typeof envelope.data !== 'object' || envelope.data === null) throw new MalformedMessageError('missing data');
  return { ...envelope, actor: envelope.actor ?? null } as EventEnvelope;
}

export const headerText = (headers: IHeaders | undefined, name: string): string | undefined => {
  const value = headers?.[name];
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value[0]?.toString() : value.toString();
};
