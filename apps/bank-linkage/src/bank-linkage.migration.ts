import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Bank-linkage's own tables beside its event store: webhook secrets (never in events, which go to
 * Kafka), the borrowers' savings as groups' events tell them, and the inbox of bank deliveries.
 */
export class BankLinkageSchema1764202000000 implements MigrationInterface {
  name = 'BankLinkageSchema1764202000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE bank_webhook_secrets (
        bank_id uuid NOT NULL,
        secret text NOT NULL,
        created_at timestamptz NOT NULL,
        valid_until timestamptz
      )`);
    await q.query(`CREATE UNIQUE INDEX bank_webhook_secrets_current ON bank_webhook_secrets (bank_id) WHERE valid_until IS NULL`);
    await q.query(`CREATE INDEX bank_webhook_secrets_bank ON bank_webhook_secrets (bank_id)`);
    await q.query(`
      CREATE TABLE borrower_savings (
        borrower_type text NOT NULL,
        borrower_id text NOT NULL,
        savings bigint NOT NULL,
        PRIMARY KEY (borrower_type, borrower_id)
      )`);
    await q.query(`
      CREATE TABLE webhook_deliveries (
        id uuid PRIMARY KEY,
        sequence bigserial NOT NULL UNIQUE,
        bank_id uuid NOT NULL,
        webhook_id text NOT NULL,
        webhook_timestamp bigint NOT NULL,
        webhook_signature text NOT NULL,
        body bytea NOT NULL,
        type text,
        status text NOT NULL CHECK (status IN ('pending', 'processed', 'failed', 'quarantined')),
        error_code text,
        error_message text,
        attempts integer NOT NULL DEFAULT 0,
        received_at timestamptz NOT NULL,
        processed_at timestamptz,
        CONSTRAINT webhook_deliveries_once UNIQUE (bank_id, webhook_id)
      )`);
    await q.query(`CREATE INDEX webhook_deliveries_pending ON webhook_deliveries (sequence) WHERE status = 'pending'`);
    await q.query(`CREATE INDEX webhook_deliveries_by_status ON webhook_deliveries (status, sequence)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE webhook_deliveries; DROP TABLE borrower_savings; DROP TABLE bank_webhook_secrets`);
  }
}
