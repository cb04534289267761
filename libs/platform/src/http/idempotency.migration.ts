import type { MigrationInterface, QueryRunner } from 'typeorm';

export class IdempotencySchema1764201600002 implements MigrationInterface {
  name = 'IdempotencySchema1764201600002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE idempotency_keys (
        key text PRIMARY KEY,
        request_hash text NOT NULL,
        status integer,
        body jsonb,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE idempotency_keys`);
  }
}

export class IdempotencyKeysByAge1764202200000 implements MigrationInterface {
  name = 'IdempotencyKeysByAge1764202200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX idempotency_keys_created_at`);
  }
}

/**
 * An answer is now stored in the same transaction as the request's events, so a key is never
 * left pending. Keys an earlier version left pending (a crash mid-request) are freed: with that
 * version, their events may have committed without the answer, so a retry of one of them could
 * record its command a second time. Those keys are at most 24 h old and rare.
 */
export class IdempotencyAnswersOnly1764290100000 implements MigrationInterface {
  name = 'IdempotencyAnswersOnly1764290100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM idempotency_keys WHERE status IS NULL`);
    await q.query(`ALTER TABLE idempotency_keys ALTER COLUMN status SET NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE idempotency_keys ALTER COLUMN status DROP NOT NULL`);
  }
}

export const IdempotencyMigrations = [IdempotencySchema1764201600002, IdempotencyKeysByAge1764202200000, IdempotencyAnswersOnly1764290100000];
