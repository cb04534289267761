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

export const MessagingSchema = MessagingSchema1764201600001;
