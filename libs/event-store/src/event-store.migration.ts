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

export const EventStoreMigrations = [EventStoreSchema1764201600000, OutboxWithoutForeignKey1764202100000, OutboxSentByAge1764800000500];
