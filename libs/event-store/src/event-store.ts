import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { DataSource, EntityManager } from 'typeorm';
import { DomainError } from '@sangam/domain';
import { afterCommit, managerFor, requestManager } from './request-transaction';
import { withSavepoint } from './savepoint';
import { EVENT_COLUMNS, toStoredEvent, type EventMetadata, type EventRow, type NewEvent, type StoredEvent } from './stored-event';

/** Any constant: it names the lock that orders positions within one service's database. */
const POSITION_LOCK = 727_002;

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

/** Keeps a view of the service's own events up to date in the transaction that appends them. */
export type InlineProjection = (manager: EntityManager, events: readonly StoredEvent[]) => Promise<void>;

export class PostgresEventStore {
  /** Emits 'appended' after each commit so that an in-process relay can publish at once. */
  readonly notifications = new EventEmitter();

  constructor(
    private readonly dataSource: DataSource,
    private readonly inlineProjections: readonly InlineProjection[] = [],
  ) {}

  async readStream(streamId: string, manager: EntityManager = managerFor(this.dataSource)): Promise<StoredEvent[]> {
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
    const { results } = await this.transaction(async (manager) => {
      const appended = await this.appendAllInTransaction(manager, appends, metadata);
      return { results: appended, events: appended.flatMap((r) => r.events) };
    });
    return results;
  }

  /**
   * Runs `work` in one transaction and, once it has committed, announces the events it appended.
   * Inside a request transaction (see inRequestTransaction) it runs in a savepoint of that one,
   * so a lost race undoes only this attempt, and everything commits with the request.
   */
  async transaction<T extends { events: StoredEvent[] }>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const request = requestManager();
    const result = request ? await withSavepoint(request, () => work(request)) : await this.dataSource.transaction(work);
    if (result.events.length > 0) afterCommit(() => this.notifications.emit('appended', result.events.length));
    return result;
  }

  /**
   * Locks the given streams' rows in id order. A transaction that will append to several streams
   * one after another takes them all first, so it never waits for a stream while it holds the
   * position lock (which a writer of that stream may be waiting for: a deadlock).
   */
  async lockStreams(manager: EntityManager, streamIds: readonly string[]): Promise<void> {
    if (streamIds.length === 0) return;
    await manager.query(`SELECT 1 FROM streams WHERE stream_id = ANY($1::text[]) ORDER BY stream_id FOR UPDATE`, [[...new Set(streamIds)]]);
  }

  /** For callers that must write other rows in the same transaction as the events (see `transaction`). */
  async appendInTransaction(manager: EntityManager, append: StreamAppend, metadata: EventMetadata): Promise<AppendResult> {
    const [result] = await this.appendAllInTransaction(manager, [append], metadata);
    return result;
  }

  private async appendAllInTransaction(manager: EntityManager, appends: StreamAppend[], metadata: EventMetadata): Promise<AppendResult[]> {
    // Stream rows are locked in one global order, so two multi-stream appends can never deadlock.
    const nonEmpty = appends.filter((a) => a.events.length > 0).sort((a, b) => (a.streamId < b.streamId ? -1 : a.streamId > b.streamId ? 1 : 0));
    for (const append of nonEmpty) await this.claimStreamVersion(manager, append);
    // Positions are taken under a lock held until commit, so they are handed out in commit order:
    // a reader that has seen position N can never later find a lower position appearing.
    if (nonEmpty.length > 0) await manager.query(`SELECT pg_advisory_xact_lock($1)`, [POSITION_LOCK]);
    const results: AppendResult[] = [];
    for (const append of appends) {
      const nextVersion = append.expectedVersion + append.events.length;
      results.push({ nextVersion, events: append.events.length > 0 ? await this.insertEvents(manager, append, metadata) : [] });
    }
    const appended = results.flatMap((result) => result.events);
    for (const project of this.inlineProjections) if (appended.length > 0) await project(manager, appended);
    return results;
  }

  /** The streams row serialises writers: a concurrent append waits on its lock, then fails the version check. */
  private async claimStreamVersion(manager: EntityManager, { streamId, streamType, expectedVersion, events }: StreamAppend) {
    const nextVersion = expectedVersion + events.length;
    const claimed: unknown[] =
      expectedVersion === 0
        ? await manager.query(
            `INSERT INTO streams (stream_id, stream_type, version) VALUES ($1, $2, $3)
             ON CONFLICT (stream_id) DO NOTHING RETURNING version`,
            [streamId, streamType, nextVersion],
          )
        : await manager
            .query(`UPDATE streams SET version = $3 WHERE stream_id = $1 AND version = $2 RETURNING version`, [
              streamId,
              expectedVersion,
              nextVersion,
            ])
            .then((result: [unknown[], number]) => result[0]);
    if (claimed.length === 0) throw new ConcurrencyError(streamId, expectedVersion);
  }

  private async insertEvents(manager: EntityManager, append: StreamAppend, metadata: EventMetadata): Promise<StoredEvent[]> {
    const { streamId, streamType, expectedVersion, events } = append;
    const occurredAt = metadata.occurredAt ?? new Date().toISOString();
    const meta = { correlationId: metadata.correlationId, causationId: metadata.causationId, actor: metadata.actor };
    const rows: EventRow[] = await manager.query(
      `WITH appended AS (
         INSERT INTO events (event_id, stream_id, stream_type, stream_version, type, schema_version, data, metadata, occurred_at)
         SELECT e.event_id, $1, $2, $3 + e.ord, e.type, e.schema_version, e.data, $4::jsonb, $5
         FROM unnest($6::uuid[], $7::text[], $8::int[], $9::jsonb[]) WITH ORDINALITY
           AS e(event_id, type, schema_version, data, ord)
         ORDER BY e.ord
         RETURNING ${EVENT_COLUMNS}
       ), outboxed AS (
         INSERT INTO outbox (position) SELECT global_position FROM appended
       )
       SELECT * FROM appended`,
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
    return rows.map(toStoredEvent).sort((a, b) => a.streamVersion - b.streamVersion);
  }

  /**
   * Committed events after a global position, in position order. Positions are handed out in
   * commit order (see appendAllInTransaction), so paging by position never skips an event.
   */
  async readAll(afterPosition: bigint | string, limit: number): Promise<StoredEvent[]> {
    const rows: EventRow[] = await this.dataSource.query(
      `SELECT ${EVENT_COLUMNS} FROM events
       WHERE global_position > $1 ORDER BY global_position LIMIT $2`,
      [String(afterPosition), limit],
    );
    return rows.map(toStoredEvent);
  }
}
