import type { EntityManager } from 'typeorm';
import type { Lender, LoanEvent } from '../loans/domain/loan.events';

/**
 * Each lender's fund as lending keeps it: raised from groups' events (fees paid, contributions),
 * and lent out and repaid in by its own loan events, written in the transaction that appends them.
 */
export interface FundChange {
  type: Lender['type'];
  id: string;
  raised?: bigint;
  lentOut?: bigint;
  repaidIn?: bigint;
}

/** Adds the changes, one row per lender, in key order so that concurrent writers lock rows in the same order. */
export async function changeFunds(manager: EntityManager, changes: FundChange[]): Promise<void> {
  const merged = new Map<string, Required<FundChange>>();
  for (const change of changes) {
    const key = `${change.type}:${change.id}`;
    const row = merged.get(key) ?? { type: change.type, id: change.id, raised: 0n, lentOut: 0n, repaidIn: 0n };
    row.raised += change.raised ?? 0n;
    row.lentOut += change.lentOut ?? 0n;
    row.repaidIn += change.repaidIn ?? 0n;
    merged.set(key, row);
  }
  if (merged.size === 0) return;
  const rows = [...merged.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, row]) => row);
  await manager.query(
    `INSERT INTO lender_funds (lender_type, lender_id, raised, lent_out, repaid_in)
     SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::bigint[])
     ON CONFLICT (lender_type, lender_id) DO UPDATE SET
       raised = lender_funds.raised + EXCLUDED.raised,
       lent_out = lender_funds.lent_out + EXCLUDED.lent_out,
       repaid_in = lender_funds.repaid_in + EXCLUDED.repaid_in`,
    [
      rows.map((r) => r.type),
      rows.map((r) => r.id),
      rows.map((r) => r.raised.toString()),
      rows.map((r) => r.lentOut.toString()),
      rows.map((r) => r.repaidIn.toString()),
    ],
  );
}

/** Loans from a common fund take the principal out of it and bring repayments back; other loans do not touch it. */
export function fundChangesOf(events: readonly LoanEvent[]): FundChange[] {
  return events.flatMap((event): FundChange[] => {
    if (event.type === 'LoanDisbursed' && event.data.funding.source === 'common-fund') {
      return [{ ...event.data.lender, lentOut: BigInt(event.data.principal) }];
    }
    if (event.type === 'RepaymentReceived' && event.data.fundingSource === 'common-fund') {
      return [{ ...event.data.lender, repaidIn: BigInt(event.data.amount) }];
    }
    return [];
  });
}
