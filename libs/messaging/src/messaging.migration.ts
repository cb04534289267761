import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Consumer checkpoints live beside the state they guard, in the consumer's own database. */
export class MessagingSchema1764201600001 implements MigrationInterface {
  name = 'MessagingSchema1764201600001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE consumer_checkpoints (
        consumer text NOT NULL,
        topic text NOT NULL,
        partition integer NOT NULL,
        next_offset bigint NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer, topic, partition)
      )`);
    await q.query(`
      CREATE TABLE processed_events (
        consumer text NOT NULL,
        event_id uuid NOT NULL,
        PRIMARY KEY (consumer, event_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE processed_events; DROP TABLE consumer_checkpoints`);
  }
}

/**
 * What a consumer dead-lettered and has not applied since: a read model that skipped an event is
 * wrong until the event is re-driven. And the age of processed event ids, so they can be pruned.
 */
export class ConsumerDeadLetters1764800000400 implements MigrationInterface {
  name = 'ConsumerDeadLetters1764800000400';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE consumer_dead_letters (
        consumer text NOT NULL,
        event_id text NOT NULL,
        topic text NOT NULL,
        partition integer NOT NULL,
        "offset" bigint NOT NULL,
        error text NOT NULL,
        dead_lettered_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer, event_id)
      )`);
    await q.query(`ALTER TABLE processed_events ADD COLUMN processed_at timestamptz NOT NULL DEFAULT now()`);
    await q.query(`CREATE INDEX processed_events_age ON processed_events (processed_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `DROP INDEX processed_events_age; ALTER TABLE processed_events DROP COLUMN processed_at; DROP TABLE consumer_dead_letters`,
    );
  }
}

export const MessagingSchema = MessagingSchema1764201600001;
export const MessagingMigrations = [MessagingSchema1764201600001, ConsumerDeadLetters1764800000400];
