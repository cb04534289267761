import type { CommandMetadata } from '@sangam/domain';
import type { Actor, EventEnvelope } from '@sangam/messaging';

/** The command's metadata becomes its events' metadata. */
export type EventMetadata = CommandMetadata;

export interface NewEvent {
  type: string;
  data: object;
  schemaVersion?: number;
  eventId?: string;
  /** Metadata of its own, where the append's is not this event's: a batch of several callers' commands. */
  metadata?: EventMetadata;
}

export interface StoredEvent extends EventEnvelope<object> {
  streamType: string;
  /** Global position in this service's store, as a decimal string (bigint). */
  position: string;
}

export interface EventRow {
  global_position: string;
  event_id: string;
  stream_id: string;
  stream_type: string;
  stream_version: number;
  type: string;
  schema_version: number;
  data: Record<string, unknown>;
  metadata: { correlationId: string; causationId: string | null; actor?: Actor };
  occurred_at: Date;
  recorded_at: Date;
}

export const EVENT_COLUMNS = `global_position, event_id, stream_id, stream_type, stream_version, type,
  schema_version, data, metadata, occurred_at, recorded_at`;

export const toStoredEvent = (row: EventRow): StoredEvent => ({
  eventId: row.event_id,
  type: row.type,
  streamId: row.stream_id,
  streamType: row.stream_type,
  streamVersion: row.stream_version,
  position: String(row.global_position),
  occurredAt: new Date(row.occurred_at).toISOString(),
  recordedAt: new Date(row.recorded_at).toISOString(),
  correlationId: row.metadata.correlationId,
  causationId: row.metadata.causationId ?? null,
  actor: row.metadata.actor ?? null,
  schemaVersion: row.schema_version,
  data: row.data,
});

export const toEnvelope = (event: StoredEvent): EventEnvelope => ({
  eventId: event.eventId,
  type: event.type,
  streamId: event.streamId,
  streamVersion: event.streamVersion,
  occurredAt: event.occurredAt,
  recordedAt: event.recordedAt,
  correlationId: event.correlationId,
  causationId: event.causationId,
  actor: event.actor,
  schemaVersion: event.schemaVersion,
  data: event.data,
});
