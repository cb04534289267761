import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { DataSource, EntityManager } from 'typeorm';
import { DomainError, UpcasterChain } from '@sangam/domain';
import { errorCode, queryPrepared } from '@sangam/messaging';
import { FoldedStates } from './folded-states';
import { runCommitted } from './unit-of-work';
import { EVENT_COLUMNS, toStoredEvent, type EventMetadata, type EventRow, type NewEvent, type StoredEvent } from './stored-event';

/** What append_events raises when a stream is no longer at the expected version (see the migration). */
const VERSION_CLAIM_LOST = 'SG409';

export class ConcurrencyError extends DomainError {
  constructor(streamId: string, expectedVersion: number) {
    super('conflict', `Stream ${streamId} is no longer at version ${expectedVersion}`, 'conflict');
  }
}

/** append_events' lost version race as the ConcurrencyError of the stream it names; any other error as it is. */
function asConcurrencyError(error: unknown, appends: StreamAppend[]): unknown {
  if (errorCode(error) !== VERSION_CLAIM_LOST) return error;
  const { detail } = (error as { driverError?: { detail?: string } }).driverError ?? (error as { detail?: string });
  const lost = appends.find((a) => a.streamId === detail) ?? appends[0];
  return new ConcurrencyError(lost.streamId, lost.expectedVersion);
}

export interface StreamAppend {
  streamId: string;
  streamType: string;
  /** The version the caller read; 0 for a new stream. */
  expectedVersion: number;
  events: NewEvent[];
}

/** An append with metadata of its own, for writers that share a transaction and nothing else (see appendEachInTransaction). */
export type AppendWithMetadata = StreamAppend & { metadata: EventMetadata };

export interface AppendResult {
  nextVersion: number;
  events: StoredEvent[];
}

/** Keeps a view of the service's own events up to date in the transaction that appends them. */
export interface InlineProjection {
  /** Whether it writes anything for the event: an append of none of its events owes it nothing. */
  appliesTo(event: Pick<StoredEvent, 'type' | 'data' | 'streamVersion'>): boolean;
  apply(manager: EntityManager, events: readonly StoredEvent[]): Promise<void>;
}

const withMetadata = (appends: StreamAppend[], metadata: EventMetadata): AppendWithMetadata[] =>
  appends.map((append) => ({ ...append, metadata }));

/** The distinct metadata of an append's events, each stored once and referred to by index. */
class DistinctMetadata {
  readonly stored: Pick<StoredEvent, 'correlationId' | 'causationId' | 'actor' | 'occurredAt'>[] = [];
  /** What the metadata column holds: the command's metadata less the time, which has a column of its own. */
  readonly columns: Omit<EventMetadata, 'occurredAt'>[] = [];
  private readonly indexes = new Map<EventMetadata, number>();

  constructor(private readonly now: string) {}

  indexOf(metadata: EventMetadata): number {
    let index = this.indexes.get(metadata);
    if (index === undefined) {
      index = this.stored.length;
      this.indexes.set(metadata, index);
      const { correlationId, causationId, actor, occurredAt } = metadata;
      this.columns.push({ correlationId, causationId, actor });
      this.stored.push({
        correlationId,
        causationId: causationId ?? null,
        actor: actor ?? null,
        occurredAt: new Date(occurredAt ?? this.now).toISOString(),
      });
    }
    return index;
  }
}

export class PostgresEventStore {
  /** Emits 'appended' after each commit so that an in-process relay can publish at once. */
  readonly notifications = new EventEmitter();
  /** States folded by readState for the deciders that keep them (see keepFoldedStates). */
  readonly foldedStates = new FoldedStates();

  constructor(
    private readonly dataSource: DataSource,
    private readonly inlineProjections: readonly InlineProjection[] = [],
    /** The history of the service's event types: events are appended at their current version and read in its shape. */
    private readonly upcasters = new UpcasterChain([]),
  ) {}

  /** A stored event in its type's current shape, whatever schemaVersion it was recorded at. */
  upcast(event: StoredEvent): StoredEvent {
    return this.upcasters.upcast(event);
  }

  async readStream(streamId: string, manager: EntityManager = this.dataSource.manager): Promise<StoredEvent[]> {
    return this.readStreamFrom(streamId, 1, manager);
  }

  /** The events of several streams (a worker's batch), each stream's in version order; a stream with none has an empty list. */
  async readStreams(streamIds: readonly string[], manager: EntityManager = this.dataSource.manager): Promise<Map<string, StoredEvent[]>> {
    const rows: EventRow[] = await manager.query(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = ANY($1::text[]) ORDER BY stream_id, stream_version`,
      [streamIds],
    );
    const streams = new Map(streamIds.map((streamId): [string, StoredEvent[]] => [streamId, []]));
    for (const row of rows) streams.get(row.stream_id)!.push(this.upcast(toStoredEvent(row)));
    return streams;
  }

  /** The stream's events from `fromVersion` on, in version order. */
  async readStreamFrom(streamId: string, fromVersion: number, manager: EntityManager = this.dataSource.manager): Promise<StoredEvent[]> {
    const rows = await queryPrepared<EventRow[]>(
      manager,
      `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = $1 AND stream_version >= $2 ORDER BY stream_version`,
      [streamId, fromVersion],
    );
    return rows.map((row) => this.upcast(toStoredEvent(row)));
  }

  /**
   * The stream's events from `fromVersion` on, after locking its row until the transaction ends
   * (as lockStreams), in one statement: the read sees whatever the previous holder of the lock committed.
   */
  async readStreamLocked(manager: EntityManager, streamId: string, fromVersion: number): Promise<StoredEvent[]> {
    const rows = await queryPrepared<EventRow[]>(
      manager,
      `SELECT ${EVENT_COLUMNS} FROM read_stream_locked($1, $2) ORDER BY stream_version`,
      [streamId, fromVersion],
    );
    return rows.map((row) => this.upcast(toStoredEvent(row)));
  }

  async append(append: StreamAppend, metadata: EventMetadata): Promise<AppendResult> {
    const [result] = await this.appendToStreams([append], metadata);
    return result;
  }

  /** Appends to several streams atomically: all of them or none. */
  async appendToStreams(appends: StreamAppend[], metadata: EventMetadata): Promise<AppendResult[]> {
    if (this.inlineProjections.length === 0) {
      // Nothing else to write with it: the append's one statement is its own transaction.
      const results = await this.appendAll(this.dataSource.manager, withMetadata(appends, metadata));
      this.announce(results.flatMap((r) => r.events));
      return results;
    }
    const { results } = await this.transaction(async (manager) => {
      const appended = await this.appendAll(manager, withMetadata(appends, metadata));
      return { results: appended, events: appended.flatMap((r) => r.events) };
    });
    return results;
  }

  /** Runs `work` in one transaction and, once it has committed, announces the events it appended. */
  async transaction<T extends { events: StoredEvent[] }>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const result = await this.dataSource.transaction(work);
    this.announce(result.events);
    return result;
  }

  private announce(events: readonly StoredEvent[]): void {
    // Told after the commit: a failing listener must not make the committed append look failed.
    if (events.length > 0) runCommitted(() => this.notifications.emit('appended', events.length));
  }

  /**
   * Locks the given streams' rows in id order. A transaction that will append to several streams
   * one after another takes them all first, so it never waits for one stream while holding
   * another that a multi-stream writer, locking in id order, holds the first of: a deadlock.
   */
  async lockStreams(manager: EntityManager, streamIds: readonly string[]): Promise<void> {
    if (streamIds.length === 0) return;
    await queryPrepared(manager, `SELECT 1 FROM streams WHERE stream_id = ANY($1::text[]) ORDER BY stream_id FOR UPDATE`, [
      [...new Set(streamIds)],
    ]);
  }

  /** For callers that must write other rows in the same transaction as the events (see `transaction`). */
  async appendInTransaction(manager: EntityManager, append: StreamAppend, metadata: EventMetadata): Promise<AppendResult> {
    const [result] = await this.appendAll(manager, [{ ...append, metadata }]);
    return result;
  }

  /**
   * Appends to several streams in the caller's transaction in one statement, each with metadata of
   * its own: unrelated writers that share a commit (see GroupCommit). All of them or none.
   */
  appendEachInTransaction(manager: EntityManager, appends: AppendWithMetadata[]): Promise<AppendResult[]> {
    return this.appendAll(manager, appends);
  }

  /**
   * One stream's events in one statement of its own, no transaction, on the condition that the
   * stream's event at `append.expectedVersion` is `lastEventId`: for a writer that decided on a
   * kept folded state without reading the stream (see append_events_onto). Throws ConcurrencyError
   * when the stream is not where that state says. Null, writing nothing, when an inline projection
   * writes for one of the events: that belongs in the append's transaction, the caller's usual path.
   */
  async appendOnto(append: AppendWithMetadata, lastEventId: string): Promise<AppendResult | null> {
    const projected = append.events.some((event, i) => {
      const stored = { ...event, streamVersion: append.expectedVersion + i + 1 };
      return this.inlineProjections.some((projection) => projection.appliesTo(stored));
    });
    if (projected || append.events.length === 0) return null;
    const events = await this.insertEvents(this.dataSource.manager, [append], lastEventId);
    this.announce(events);
    return { nextVersion: append.expectedVersion + append.events.length, events };
  }

  /**
   * One append_events statement for all the streams (see the migration), then the inline
   * projections. Stream rows are claimed in one global order, so two multi-stream appends can
   * never deadlock.
   */
  private async appendAll(manager: EntityManager, appends: AppendWithMetadata[]): Promise<AppendResult[]> {
    const nonEmpty = appends
      .filter((a) => a.events.length > 0)
      .sort((a, b) => (a.streamId < b.streamId ? -1 : a.streamId > b.streamId ? 1 : 0));
    const appended = nonEmpty.length > 0 ? await this.insertEvents(manager, nonEmpty) : [];
    for (const projection of this.inlineProjections)
      if (appended.some((e) => projection.appliesTo(e))) await projection.apply(manager, appended);
    return appends.map((append) => ({
      nextVersion: append.expectedVersion + append.events.length,
      events: appended.filter((event) => event.streamId === append.streamId && append.events.length > 0),
    }));
  }

  /** `onto`: the id of the event the single stream must be at (append_events_onto). */
  private async insertEvents(manager: EntityManager, appends: AppendWithMetadata[], onto?: string): Promise<StoredEvent[]> {
    const metadata = new DistinctMetadata(new Date().toISOString());
    // One JSON document for all the events (see AppendEventsAsJson): encoded once, not element by element.
    const rows = appends.flatMap((append, stream) =>
      append.events.map((event, i) => ({
        stream: stream + 1,
        version: append.expectedVersion + i + 1,
        id: event.eventId ?? randomUUID(),
        type: event.type,
        schema_version: event.schemaVersion ?? this.upcasters.currentVersion(event.type),
        data: event.data,
        metadata: metadata.indexOf(event.metadata ?? append.metadata),
      })),
    );
    const json = JSON.stringify(rows);
    let assigned: { positions: string[]; recorded_at: Date };
    try {
      [assigned] = await queryPrepared<{ positions: string[]; recorded_at: Date }[]>(
        manager,
        `SELECT positions, recorded_at FROM ${onto === undefined ? 'append_events(' : 'append_events_onto($8::uuid, '}$1::text[], $2::text[], $3::int[], $4::int[], $5::jsonb, $6::jsonb, $7::timestamptz[])`,
        [
          appends.map((a) => a.streamId),
          appends.map((a) => a.streamType),
          appends.map((a) => a.expectedVersion),
          appends.map((a) => a.expectedVersion + a.events.length),
          json,
          JSON.stringify(metadata.columns),
          metadata.stored.map((m) => m.occurredAt),
          ...(onto === undefined ? [] : [onto]),
        ],
      );
    } catch (error) {
      throw asConcurrencyError(error, appends);
    }
    const recordedAt = assigned.recorded_at.toISOString();
    // What a reader of the store gets: the data as JSON gives it back (no undefined fields, no Date objects).
    const stored = JSON.parse(json) as typeof rows;
    return stored.map((row, i): StoredEvent =>
      this.upcast({
        eventId: row.id,
        type: row.type,
        streamId: appends[row.stream - 1].streamId,
        streamType: appends[row.stream - 1].streamType,
        streamVersion: row.version,
        position: assigned.positions[i],
        ...metadata.stored[row.metadata],
        recordedAt,
        schemaVersion: row.schema_version,
        data: row.data,
      }),
    );
  }

  /**
   * Committed events after a global position, in position order, up to the settled position: no
   * append still in flight holds a position below it (see the README), so paging by position
   * never skips an event that commits late. Not for use inside a transaction that has appended
   * and not yet committed: the fence would wait for that transaction.
   */
  async readAll(afterPosition: bigint | string, limit: number): Promise<StoredEvent[]> {
    const [{ settled }]: { settled: string }[] = await this.dataSource.query(`SELECT settled_position() AS settled`);
    const rows: EventRow[] = await this.dataSource.query(
      `SELECT ${EVENT_COLUMNS} FROM events
       WHERE global_position > $1 AND global_position <= $2 ORDER BY global_position LIMIT $3`,
      [String(afterPosition), settled, limit],
    );
    return rows.map((row) => this.upcast(toStoredEvent(row)));
  }
}
