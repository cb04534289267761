import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The append-only store: streams (current versions), events (global order) and the outbox. */
export class EventStoreSchema1764201600000 implements MigrationInterface {
  name = 'EventStoreSchema1764201600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE streams (
        stream_id text PRIMARY KEY,
        stream_type text NOT NULL,
        version integer NOT NULL
      )`);
    await q.query(`
      CREATE TABLE events (
        global_position bigserial PRIMARY KEY,
        event_id uuid NOT NULL UNIQUE,
        stream_id text NOT NULL,
        stream_type text NOT NULL,
        stream_version integer NOT NULL,
        type text NOT NULL,
        schema_version integer NOT NULL DEFAULT 1,
        data jsonb NOT NULL,
        metadata jsonb NOT NULL,
        occurred_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT events_stream_version_unique UNIQUE (stream_id, stream_version)
      )`);
    await q.query(`
      CREATE TABLE outbox (
        position bigint PRIMARY KEY REFERENCES events (global_position),
        published_at timestamptz
      )`);
    await q.query(`CREATE INDEX outbox_unpublished ON outbox (position) WHERE published_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE outbox; DROP TABLE events; DROP TABLE streams`);
  }
}

/**
 * Outbox rows are only ever written in the same statement as their event, so the foreign key
 * guarded nothing and cost a lookup per event on the hot path.
 */
export class OutboxWithoutForeignKey1764202100000 implements MigrationInterface {
  name = 'OutboxWithoutForeignKey1764202100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox DROP CONSTRAINT IF EXISTS outbox_position_fkey`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox ADD CONSTRAINT outbox_position_fkey FOREIGN KEY (position) REFERENCES events (global_position)`);
  }
}

/** Sent outbox rows are pruned by age (housekeeping): the index finds them without reading the rest. */
export class OutboxSentByAge1764800000500 implements MigrationInterface {
  name = 'OutboxSentByAge1764800000500';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX outbox_published_at ON outbox (published_at) WHERE published_at IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX outbox_published_at`);
  }
}

/** Both sides of the read-all fence (see the event store's README): writers share it, a reader closes it for an instant. */
export const APPEND_FENCE = 727_002;

/**
 * append_events' claim of each stream's version (its row lock orders the stream's writers); a lost
 * race raises SG409 with the stream id as its detail. Needs `claimed int` declared.
 */
const CLAIM_STREAM_VERSIONS = `
        FOR s IN 1 .. cardinality(stream_ids) LOOP
          IF expected_versions[s] = 0 THEN
            INSERT INTO streams (stream_id, stream_type, version) VALUES (stream_ids[s], stream_types[s], next_versions[s])
            ON CONFLICT (stream_id) DO NOTHING;
          ELSE
            UPDATE streams SET version = next_versions[s] WHERE stream_id = stream_ids[s] AND version = expected_versions[s];
          END IF;
          GET DIAGNOSTICS claimed = ROW_COUNT;
          IF claimed = 0 THEN
            RAISE EXCEPTION 'stream % is no longer at version %', stream_ids[s], expected_versions[s]
              USING ERRCODE = 'SG409', DETAIL = stream_ids[s];
          END IF;
        END LOOP;`;

/**
 * An append as one statement: claim each stream's version (its row lock orders the stream's
 * writers), enter the fence shared, insert the events and their outbox rows. Outside a
 * transaction Postgres commits it by itself: one round trip. A lost version race raises SG409
 * with the stream id as its detail, having written nothing that outlives the statement.
 */
export class AppendInOneStatement1764900000000 implements MigrationInterface {
  name = 'AppendInOneStatement1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION append_events(
        stream_ids text[], stream_types text[], expected_versions int[], next_versions int[],
        event_streams int[], event_versions int[], event_ids uuid[], event_types text[], schema_versions int[], event_data jsonb[],
        event_metadata jsonb, event_occurred_at timestamptz
      ) RETURNS TABLE (positions bigint[], recorded_at timestamptz) LANGUAGE plpgsql AS $$
      DECLARE
        claimed int;
      BEGIN
        PERFORM pg_advisory_xact_lock_shared(${APPEND_FENCE});
${CLAIM_STREAM_VERSIONS}
        -- The caller knows everything else about the events: only what Postgres assigned comes back.
        -- Rows are inserted in argument order, so positions ascend with it.
        RETURN QUERY
          WITH appended AS (
            INSERT INTO events (event_id, stream_id, stream_type, stream_version, type, schema_version, data, metadata, occurred_at)
            SELECT e.id, stream_ids[e.stream], stream_types[e.stream], e.version, e.type, e.schema_version, e.data, event_metadata, event_occurred_at
            FROM unnest(event_streams, event_versions, event_ids, event_types, schema_versions, event_data) WITH ORDINALITY
              AS e(stream, version, id, type, schema_version, data, ord)
            ORDER BY e.ord
            RETURNING global_position
          ), outboxed AS (
            INSERT INTO outbox (position) SELECT global_position FROM appended
          )
          SELECT array_agg(global_position ORDER BY global_position), now() FROM appended;
      END
      $$`);
    await q.query(`
      CREATE FUNCTION settled_position() RETURNS bigint LANGUAGE plpgsql AS $$
      BEGIN
        -- Granted only once no append is in flight; the next statement's snapshot then sees every position taken so far, settled.
        PERFORM pg_advisory_xact_lock(${APPEND_FENCE});
        RETURN (SELECT coalesce(max(global_position), 0) FROM events);
      END
      $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `DROP FUNCTION settled_position(); DROP FUNCTION append_events(text[], text[], int[], int[], int[], int[], uuid[], text[], int[], jsonb[], jsonb, timestamptz)`,
    );
  }
}

/**
 * An append_events function: the fence entered shared, each stream's version claimed, then the
 * events `selected` (SQL yielding the events' columns in argument order, as `e`) inserted with
 * their outbox rows; answers the positions taken and the recording time.
 */
const appendEventsFunction = (parameters: string, selected: string) => `
      CREATE FUNCTION append_events(
        stream_ids text[], stream_types text[], expected_versions int[], next_versions int[],
        ${parameters}
      ) RETURNS TABLE (positions bigint[], recorded_at timestamptz) LANGUAGE plpgsql AS $$
      DECLARE
        claimed int;
      BEGIN
        PERFORM pg_advisory_xact_lock_shared(${APPEND_FENCE});
${CLAIM_STREAM_VERSIONS}
        RETURN QUERY
          WITH appended AS (
            INSERT INTO events (event_id, stream_id, stream_type, stream_version, type, schema_version, data, metadata, occurred_at)
            ${selected}
            RETURNING global_position
          ), outboxed AS (
            INSERT INTO outbox (position) SELECT global_position FROM appended
          )
          SELECT array_agg(global_position ORDER BY global_position), now() FROM appended;
      END
      $$`;

/** append_events as AppendMetadataPerEvent creates it. */
const APPEND_EVENTS_WITH_METADATA_PER_EVENT = appendEventsFunction(
  `event_streams int[], event_versions int[], event_ids uuid[], event_types text[], schema_versions int[], event_data jsonb[],
        event_metadata jsonb[], event_occurred_at timestamptz[]`,
  `SELECT e.id, stream_ids[e.stream], stream_types[e.stream], e.version, e.type, e.schema_version, e.data, e.metadata, e.occurred_at
            FROM unnest(event_streams, event_versions, event_ids, event_types, schema_versions, event_data, event_metadata, event_occurred_at)
              WITH ORDINALITY AS e(stream, version, id, type, schema_version, data, metadata, occurred_at, ord)
            ORDER BY e.ord`,
);

/**
 * append_events with each event's metadata and occurrence time of its own, so that unrelated
 * writers sharing a transaction (a group commit) still append in one statement.
 */
export class AppendMetadataPerEvent1765000000000 implements MigrationInterface {
  name = 'AppendMetadataPerEvent1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `DROP FUNCTION append_events(text[], text[], int[], int[], int[], int[], uuid[], text[], int[], jsonb[], jsonb, timestamptz)`,
    );
    await q.query(APPEND_EVENTS_WITH_METADATA_PER_EVENT);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `DROP FUNCTION append_events(text[], text[], int[], int[], int[], int[], uuid[], text[], int[], jsonb[], jsonb[], timestamptz[])`,
    );
    // The earlier migration creates both functions again: the fence's reader is unchanged.
    await q.query(`DROP FUNCTION settled_position()`);
    await new AppendInOneStatement1764900000000().up(q);
  }
}

/**
 * A command's lock on its stream and its read of the stream in one round trip: the lock is held
 * from here to the commit, so every statement in between lengthens the queue of a busy stream.
 * In READ COMMITTED each statement of a (volatile) function takes a new snapshot, so the read,
 * made after the lock is granted, sees every event the previous holder of the lock committed.
 */
export class ReadStreamLocked1765000000100 implements MigrationInterface {
  name = 'ReadStreamLocked1765000000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION read_stream_locked(locked_stream_id text, from_version int) RETURNS SETOF events LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM 1 FROM streams WHERE stream_id = locked_stream_id FOR UPDATE;
        RETURN QUERY SELECT * FROM events WHERE stream_id = locked_stream_id AND stream_version >= from_version ORDER BY stream_version;
      END
      $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION read_stream_locked(text, int)`);
  }
}

/** append_events_onto's condition: one stream, whose event at the expected version is last_event_id. */
const ONTO_CHECK = `
        IF cardinality(stream_ids) <> 1 OR NOT EXISTS (
          SELECT 1 FROM events WHERE stream_id = stream_ids[1] AND stream_version = expected_versions[1] AND event_id = last_event_id
        ) THEN
          RAISE EXCEPTION 'stream % is no longer at event %', stream_ids[1], last_event_id
            USING ERRCODE = 'SG409', DETAIL = stream_ids[1];
        END IF;`;

/** append_events_onto as AppendOntoEvent creates it. */
const APPEND_EVENTS_ONTO_WITH_METADATA_PER_EVENT = `
      CREATE FUNCTION append_events_onto(
        last_event_id uuid, stream_ids text[], stream_types text[], expected_versions int[], next_versions int[],
        event_streams int[], event_versions int[], event_ids uuid[], event_types text[], schema_versions int[], event_data jsonb[],
        event_metadata jsonb[], event_occurred_at timestamptz[]
      ) RETURNS TABLE (positions bigint[], recorded_at timestamptz) LANGUAGE plpgsql AS $$
      BEGIN
${ONTO_CHECK}
        RETURN QUERY SELECT * FROM append_events(stream_ids, stream_types, expected_versions, next_versions,
          event_streams, event_versions, event_ids, event_types, schema_versions, event_data, event_metadata, event_occurred_at);
      END
      $$`;

/**
 * append_events on the condition that the stream's event at the expected version is the one the
 * writer's kept state was folded up to (see FoldedStates): a writer that decided on a kept state
 * appends in one statement, without reading the stream first. The event at a version never
 * changes once committed, and event ids are random, so a state folded from events another
 * transaction rolled back, or from a stream that moved on, never passes; it fails as a lost race.
 */
export class AppendOntoEvent1765100000000 implements MigrationInterface {
  name = 'AppendOntoEvent1765100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(APPEND_EVENTS_ONTO_WITH_METADATA_PER_EVENT);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `DROP FUNCTION append_events_onto(uuid, text[], text[], int[], int[], int[], int[], uuid[], text[], int[], jsonb[], jsonb[], timestamptz[])`,
    );
  }
}

/**
 * append_events taking the events as one JSON array and each distinct metadata once: a batch of
 * 100 events sent as ten arrays of escaped elements, each event carrying a copy of the same
 * metadata, cost the writer more CPU to encode than Postgres spent storing it. Each event is
 * {stream, version, id, type, schema_version, data, metadata}, `stream` a 1-based index into the
 * stream arrays and `metadata` a 0-based index into distinct_metadata and distinct_occurred_at.
 */
export class AppendEventsAsJson1765200000000 implements MigrationInterface {
  name = 'AppendEventsAsJson1765200000000';

  // The previous overloads stay: instances of the previous release still call them during a
  // rolling deploy. A later release's migration drops them.
  async up(q: QueryRunner): Promise<void> {
    await q.query(
      appendEventsFunction(
        'new_events jsonb, distinct_metadata jsonb, distinct_occurred_at timestamptz[]',
        `SELECT e.id, stream_ids[e.stream], stream_types[e.stream], e.version, e.type, e.schema_version, e.data,
              distinct_metadata -> e.metadata, distinct_occurred_at[e.metadata + 1]
            FROM ROWS FROM (jsonb_to_recordset(new_events)
              AS (stream int, version int, id uuid, type text, schema_version int, data jsonb, metadata int)) WITH ORDINALITY
              AS e(stream, version, id, type, schema_version, data, metadata, ord)
            ORDER BY e.ord`,
      ),
    );
    await q.query(`
      CREATE FUNCTION append_events_onto(
        last_event_id uuid, stream_ids text[], stream_types text[], expected_versions int[], next_versions int[],
        new_events jsonb, distinct_metadata jsonb, distinct_occurred_at timestamptz[]
      ) RETURNS TABLE (positions bigint[], recorded_at timestamptz) LANGUAGE plpgsql AS $$
      BEGIN
${ONTO_CHECK}
        RETURN QUERY SELECT * FROM append_events(stream_ids, stream_types, expected_versions, next_versions, new_events, distinct_metadata, distinct_occurred_at);
      END
      $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION append_events_onto(uuid, text[], text[], int[], int[], jsonb, jsonb, timestamptz[])`);
    await q.query(`DROP FUNCTION append_events(text[], text[], int[], int[], jsonb, jsonb, timestamptz[])`);
  }
}

export const EventStoreMigrations = [
  EventStoreSchema1764201600000,
  OutboxWithoutForeignKey1764202100000,
  OutboxSentByAge1764800000500,
  AppendInOneStatement1764900000000,
  AppendMetadataPerEvent1765000000000,
  ReadStreamLocked1765000000100,
  AppendOntoEvent1765100000000,
  AppendEventsAsJson1765200000000,
];
