import type { EntityManager, MigrationInterface, QueryRunner } from 'typeorm';
import type { CreditBorrower, CreditLineSanctionedData } from '@sangam/contracts';
import type { InlineProjection, StoredEvent } from '@sangam/event-store';

/** Every line's limit by bank and borrower, written with the sanction itself, for the one cap over them all. */
export class SanctionedLimits1764800000100 implements MigrationInterface {
  name = 'SanctionedLimits1764800000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE sanctioned_limits (
        credit_line_id uuid PRIMARY KEY,
        bank_id uuid NOT NULL,
        borrower_type text NOT NULL,
        borrower_id text NOT NULL,
        credit_limit bigint NOT NULL,
        expires_on date NOT NULL
      )`);
    await q.query(`CREATE INDEX sanctioned_limits_exposure ON sanctioned_limits (bank_id, borrower_type, borrower_id)`);
    await q.query(`
      INSERT INTO sanctioned_limits (credit_line_id, bank_id, borrower_type, borrower_id, credit_limit, expires_on)
      SELECT (data->>'creditLineId')::uuid, (data->>'bankId')::uuid, data->'borrower'->>'type', data->'borrower'->>'id',
             (data->>'limit')::bigint, (data->>'expiresOn')::date
      FROM events WHERE type = 'CreditLineSanctioned'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE sanctioned_limits`);
  }
}

/** Inline with the appending transaction: a sanction and its row commit together. */
export const sanctionedLimitsProjection: InlineProjection = {
  appliesTo: (event) => event.type === 'CreditLineSanctioned',
  apply: (manager, events) => recordSanctionedLimits(manager, events),
};

async function recordSanctionedLimits(manager: EntityManager, events: readonly StoredEvent[]): Promise<void> {
  for (const event of events) {
    if (event.type !== 'CreditLineSanctioned') continue;
    const { creditLineId, bankId, borrower, limit, expiresOn } = event.data as CreditLineSanctionedData;
    await manager.query(
      `INSERT INTO sanctioned_limits (credit_line_id, bank_id, borrower_type, borrower_id, credit_limit, expires_on) VALUES ($1, $2, $3, $4, $5, $6)`,
      [creditLineId, bankId, borrower.type, borrower.id, limit, expiresOn],
    );
  }
}

/** Any constant: with a hash of bank and borrower it names the lock one bank's sanctions to one borrower queue on. */
const EXPOSURE_LOCK = 727_004;

/**
 * The limits of the bank's lines to the borrower still open on `on`, read under a lock held until
 * commit: two sanctions at once cannot both fit under the cap.
 */
export async function lockOpenLimits(manager: EntityManager, bankId: string, borrower: CreditBorrower, on: string): Promise<bigint> {
  await manager.query(`SELECT pg_advisory_xact_lock($1, hashtext($2 || ' ' || $3 || ' ' || $4))`, [
    EXPOSURE_LOCK,
    bankId,
    borrower.type,
    borrower.id,
  ]);
  const [row]: { open: string }[] = await manager.query(
    `SELECT COALESCE(sum(credit_limit), 0) AS open FROM sanctioned_limits
     WHERE bank_id = $1 AND borrower_type = $2 AND borrower_id = $3 AND expires_on >= $4`,
    [bankId, borrower.type, borrower.id, on],
  );
  return BigInt(row.open);
}
