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

export const IdempotencySchema = IdempotencySchema1764201600002;
