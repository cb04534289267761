import type { EntityManager, MigrationInterface, QueryRunner } from 'typeorm';
import type { LendingEvent } from '@sangam/contracts';
import type { InlineProjection, StoredEvent } from '@sangam/event-store';

/** Every loan's parties, funding and status, kept with its events: what GET /loans lists. */
export class LoanIndex1764800000300 implements MigrationInterface {
  name = 'LoanIndex1764800000300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE loan_index (
        loan_id uuid PRIMARY KEY,
        lender_type text NOT NULL,
        lender_id text NOT NULL,
        borrower_type text NOT NULL,
        borrower_id text NOT NULL,
        funding_source text NOT NULL,
        status text NOT NULL,
        status_since timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX loan_index_lender ON loan_index (lender_type, lender_id)`);
    await q.query(`CREATE INDEX loan_index_waiting ON loan_index (status_since) WHERE status = 'disbursement_pending'`);
    await q.query(`
      INSERT INTO loan_index (loan_id, lender_type, lender_id, borrower_type, borrower_id, funding_source, status, status_since)
      SELECT (data->>'loanId')::uuid, data->'lender'->>'type', data->'lender'->>'id', data->'borrower'->>'type', data->'borrower'->>'id',
             data->'funding'->>'source', 'applied', recorded_at
      FROM events WHERE type = 'LoanApplied'`);
    for (const [type, status] of Object.entries(STATUS_AFTER)) {
      await q.query(
        `UPDATE loan_index i SET status = $2, status_since = e.recorded_at FROM events e
         WHERE e.stream_id = i.loan_id::text AND e.type = $1
           AND e.stream_version = (SELECT max(stream_version) FROM events l WHERE l.stream_id = e.stream_id AND l.type = ANY($3))`,
        [type, status, Object.keys(STATUS_AFTER)],
      );
    }
    // An SHG's savings are groups' to count now: lending's old view of them goes.
    await q.query(`DELETE FROM lender_funds WHERE lender_type = 'shg'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE loan_index`);
  }
}

/** The status each event leaves a loan in (the loan decider's evolve says the same). */
const STATUS_AFTER: Partial<Record<LendingEvent['type'], string>> = {
  LoanApproved: 'approved',
  LoanRejected: 'rejected',
  LoanDisbursementRequested: 'disbursement_pending',
  LoanDisbursed: 'active',
  LoanFundingFailed: 'funding_failed',
  LoanClosed: 'closed',
};

/** Kept in the appending transaction: a loan is listed as soon as it is applied for. */
export const loanIndexProjection: InlineProjection = {
  appliesTo: (event) => event.type === 'LoanApplied' || STATUS_AFTER[event.type as LendingEvent['type']] !== undefined,
  apply: (manager, events) => recordInLoanIndex(manager, events),
};

async function recordInLoanIndex(manager: EntityManager, events: readonly StoredEvent[]): Promise<void> {
  for (const stored of events) {
    const event = { type: stored.type, data: stored.data } as LendingEvent;
    if (event.type === 'LoanApplied') {
      const { loanId, lender, borrower, funding } = event.data;
      await manager.query(
        `INSERT INTO loan_index (loan_id, lender_type, lender_id, borrower_type, borrower_id, funding_source, status, status_since)
         VALUES ($1, $2, $3, $4, $5, $6, 'applied', $7)`,
        [loanId, lender.type, lender.id, borrower.type, borrower.id, funding.source, stored.recordedAt],
      );
    } else if (STATUS_AFTER[event.type]) {
      await manager.query(`UPDATE loan_index SET status = $2, status_since = $3 WHERE loan_id = $1`, [
        stored.streamId,
        STATUS_AFTER[event.type],
        stored.recordedAt,
      ]);
    }
  }
}
