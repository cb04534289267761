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

/** Any constant: with a hash of the owner and key it names the lock that serialises requests carrying one key. */
const KEY_LOCK = 727_003;

/**
 * Waiting for a key's lock (at most 5 s: then 55P03) and reading the answer it left, in one round
 * trip. The read is a statement of its own in a volatile function, so in READ COMMITTED it sees
 * what the request that held the lock committed.
 */
export class LockIdempotencyKey1765000000001 implements MigrationInterface {
  name = 'LockIdempotencyKey1765000000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION lock_idempotency_key(key_owner text, key_text text) RETURNS TABLE (request_hash text, status int, body jsonb)
      LANGUAGE plpgsql SET lock_timeout = '5s' AS $$
      BEGIN
        PERFORM pg_advisory_xact_lock(${KEY_LOCK}, hashtext(key_owner || ' ' || key_text));
        RETURN QUERY SELECT k.request_hash, k.status, k.body FROM idempotency_keys k WHERE k.owner = key_owner AND k.key = key_text;
      END
      $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION lock_idempotency_key(text, text)`);
  }
}

export const IdempotencyMigrations = [
  IdempotencySchema1764201600002,
  IdempotencyKeysByAge1764202200000,
  IdempotencyKeysPerCaller1764800000001,
  LockIdempotencyKey1765000000001,
];
