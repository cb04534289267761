import type { EntityManager } from 'typeorm';
import { loansOfShg } from '../../loan-book/booked-loans';
import { positionOf } from '../../loan-book/loan-position';
import { paise } from '../../shared/paise';
import type { ShgStatementView } from './shg-statement.view';

/** Reads the statement as it stood on `asOf` from the shg-statement, network-dashboard (fees) and loan-book tables; null for an SHG not (yet) known. */
export async function readShgStatement(manager: EntityManager, shgId: string, asOf: string): Promise<ShgStatementView | null> {
  const [shg]: { savings: string; pooled: string; lent: string; earned: string }[] = await manager.query(
    `SELECT COALESCE(sum(s.savings), 0) AS savings, COALESCE(sum(s.pooled), 0) AS pooled,
       COALESCE(sum(s.lent), 0) AS lent, COALESCE(sum(s.earned), 0) AS earned
     FROM shgs LEFT JOIN shg_savings s ON s.shg_id = shgs.shg_id AND s.moved_on <= $2
     WHERE shgs.shg_id = $1 AND shgs.name IS NOT NULL GROUP BY shgs.shg_id`,
    [shgId, asOf],
  );
  if (!shg) return null;
  const fees: { year: number; outstanding: string }[] = await manager.query(
    `SELECT year, sum(assessed - paid) AS outstanding FROM network_fees WHERE shg_id = $1 AND recorded_on <= $2
     GROUP BY year HAVING sum(assessed - paid) > 0 ORDER BY year`,
    [shgId, asOf],
  );
  const loans = await loansOfShg(manager, shgId, asOf);
  return {
    shgId,
    savingsBalance: paise(shg.savings),
    pooledSavings: paise(shg.pooled),
    lentToMembers: paise(shg.lent),
    interestEarned: paise(shg.earned),
    feesOwed: fees.map((fee) => ({ year: fee.year, outstanding: paise(fee.outstanding) })),
    loans: loans.map((loan) => {
      const { outstandingPrincipal, daysPastDue } = positionOf(loan, asOf);
      const { id, lender, borrower, purpose, principal, status } = loan;
      return { id, lender, borrower, purpose, principal, outstandingPrincipal, status, daysPastDue };
    }),
  };
}
