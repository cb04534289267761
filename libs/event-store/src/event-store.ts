import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { DataSource, EntityManager } from 'typeorm';
import { DomainError } from '@sangam/domain';
import { EVENT_COLUMNS, toStoredEvent, type EventMetadata, type EventRow, type NewEvent, type StoredEvent } from './stored-event';

export class ConcurrencyError extends DomainError {
  constructor(streamId: string, expectedVersion: number) {
    super('conflict', `Stream ${streamId} is no longer at version ${expectedVersion}`, 'conflict');
  }
}

export interface StreamAppend {
  streamId: string;
  streamType: string;
  /** The version the caller read; 0 for a new stream. */
  expectedVersion: number;
  events: NewEvent[];
}

export interface AppendResult {
  nextVersion: number;
  events: StoredEvent[];
}

export class PostgresEventStore {
  /** Emits 'appended' after each commit so that an in-process relay can publish at once. */
  readonly notifications = new EventEmitter();

  constructor(private readonly dataSource: DataSource) {}

  async readStream(streamId: string, manager: EntityManager = this.dataSource.manager): Promise<StoredEvent[]> {
    const rows: EventRow[] = await manager.query(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = $1 ORDER BY stream_version`,
      [streamId],
    );
    return rows.map(toStoredEvent);
  }

  async append(
    append: StreamAppend,
    metadata: EventMetadata,
  ): Promise<AppendResult> {
    const [result] = await this.appendToStreams([append], metadata);
    return result;
  }

  /** Appends to several streams atomically: all of them or none. */
  async appendToStreams(appends: StreamAppend[], metadata: EventMetadata): Promise<AppendResult[]> {
    const results = await this.dataSource.transaction((manager) =>
      Promise.all(appends.map((a) => this.appendInTransaction(manager, a, metadata))),
    );
    this.notifications.emit('appended', results.reduce((n, r) => n + r.events.length, 0));
    return results;
  }

  /** For callers that must write other rows in the same transaction as the events. */
  async appendInTransaction(manager: EntityManager, append: StreamAppend, metadata: EventMetadata): Promise<AppendResult> {
    const { streamId, streamType, expectedVersion, events } = append;
    const nextVersion = expectedVersion + events.length;
    if (events.length === 0) return { nextVersion, events: [] };

    // The streams row serialises writers: a concurrent append waits on its lock, then fails the version check.
    const claimed: unknown[] =
      expectedVersion === 0
        ? await manager.query(
            `INSERT INTO streams (stream_id, stream_type, version) VALUES ($1, $2, $3)
             ON CONFLICT (stream_id) DO NOTHING RETURNING version`,
            [streamId, streamType, nextVersion],
          )
        : await manager.query(
            `UPDATE streams SET version = $3 WHERE stream_id = $1 AND version = $2 RETURNING version`,
            [streamId, expectedVersion, nextVersion],
          ).then((r: [unknown[], number]) => r[0]);
    if (claimed.length === 0) throw new ConcurrencyError(streamId, expectedVersion);

    const occurredAt = metadata.occurredAt ?? new Date().toISOString();
    const meta = { correlationId: metadata.correlationId, causationId: metadata.causationId, actor: metadata.actor };
    const rows: EventRow[] = await manager.query(
      `INSERT INTO events (event_id, stream_id, stream_type, stream_version, type, schema_version, data, metadata, occurred_at)
       SELECT e.event_id, $1, $2, $3 + e.ord, e.type, e.schema_version, e.data, $4::jsonb, $5
       FROM unnest($6::uuid[], $7::text[], $8::int[], $9::jsonb[]) WITH ORDINALITY
         AS e(event_id, type, schema_version, data, ord)
       ORDER BY e.ord
       RETURNING ${EVENT_COLUMNS}`,
      [
        streamId,
        streamType,
        expectedVersion,
        JSON.stringify(meta),
        occurredAt,
        events.map((e) => e.eventId ?? randomUUID()),
        events.map((e) => e.type),
        events.map((e) => e.schemaVersion ?? 1),
        events.map((e) => JSON.stringify(e.data)),
      ],
    );
    await manager.query(`INSERT INTO outbox (position) SELECT unnest($1::bigint[])`, [rows.map((r) => r.global_position)]);
    return { nextVersion, events: rows.map(toStoredEvent).sort((a, b) => a.streamVersion - b.streamVersion) };
  }

  /**
   * Events after a global position, in position order. Only events of transactions older than
   * every transaction still in flight are returned, so a reader never skips a position that
   * commits later (Emmett's xid8 technique).
   */
  async readAll(afterPosition: bigint | string, limit: number): Promise<StoredEvent[]> {
    const rows: EventRow[] = await this.dataSource.query(
      `SELECT ${EVENT_COLUMNS} FROM events
       WHERE global_position > $1 AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
       ORDER BY global_position LIMIT $2`,
      [String(afterPosition), limit],
    );
    return rows.map(toStoredEvent);
  }
}
