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

/** A key belongs to its caller: another user's identical key is another key, and never sees this one's answer. */
export class IdempotencyKeysPerCaller1764800000001 implements MigrationInterface {
  name = 'IdempotencyKeysPerCaller1764800000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE idempotency_keys ADD COLUMN owner text NOT NULL DEFAULT ''`);
    await q.query(`ALTER TABLE idempotency_keys DROP CONSTRAINT idempotency_keys_pkey`);
    await q.query(`ALTER TABLE idempotency_keys ADD PRIMARY KEY (owner, key)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM idempotency_keys WHERE owner <> ''`);
    await q.query(`ALTER TABLE idempotency_keys DROP CONSTRAINT idempotency_keys_pkey`);
    await q.query(`ALTER TABLE idempotency_keys ADD PRIMARY KEY (key)`);
    await q.query(`ALTER TABLE idempotency_keys DROP COLUMN owner`);
  }
}

export const IdempotencyMigrations = [
  IdempotencySchema1764201600002,
  IdempotencyKeysByAge1764202200000,
  IdempotencyKeysPerCaller1764800000001,
];
