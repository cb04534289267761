import type { LoanFundingSource, LoanStatus, ScheduledInstallment } from '@sangam/contracts';
import type { EntityManager } from 'typeorm';
import { paise } from '../shared/paise';
import { LOAN_LIFECYCLE } from './loan-book.projection';
import type { LoanFacts } from './loan-position';

export interface Party {
  type: string;
  id: string;
}

export interface BookedLoan extends LoanFacts {
  id: string;
  lender: Party;
  borrower: Party;
  purpose: string;
  status: LoanStatus;
  fundingSource: LoanFundingSource;
}

interface LoanRow {
  loan_id: string;
  lender_type: string;
  lender_id: string;
  borrower_type: string;
  borrower_id: string;
  purpose: string | null;
  principal: string;
  stage: number;
  funding_source: LoanFundingSource;
  disbursed_on: string | null;
  closed_on: string | null;
  schedule: ScheduledInstallment[] | null;
  principal_to_date: string;
  interest_to_date: string;
}

const toBookedLoan = (row: LoanRow): BookedLoan => ({
  id: row.loan_id,
  lender: { type: row.lender_type, id: row.lender_id },
  borrower: { type: row.borrower_type, id: row.borrower_id },
  purpose: row.purpose ?? '',
  principal: paise(row.principal),
  status: LOAN_LIFECYCLE[row.stage],
  fundingSource: row.funding_source,
  disbursedOn: row.disbursed_on,
  closedOn: row.closed_on,
  schedule: row.schedule ?? [],
  paidToDate: { principal: paise(row.principal_to_date), interest: paise(row.interest_to_date) },
});

async function queryLoans(manager: EntityManager, asOf: string, where: string, params: unknown[]): Promise<BookedLoan[]> {
  const rows: LoanRow[] = await manager.query(
    `SELECT l.loan_id, l.lender_type, l.lender_id, l.borrower_type, l.borrower_id, l.purpose, l.principal, l.stage, l.funding_source,
            l.disbursed_on::text AS disbursed_on, l.closed_on::text AS closed_on, l.schedule,
            COALESCE(sum(r.principal) FILTER (WHERE r.paid_on <= $1), 0) AS principal_to_date,
            COALESCE(sum(r.interest) FILTER (WHERE r.paid_on <= $1), 0) AS interest_to_date
     FROM loans l LEFT JOIN loan_repayments r ON r.loan_id = l.loan_id
     WHERE l.principal IS NOT NULL AND (${where})
     GROUP BY l.loan_id
     ORDER BY l.applied_at NULLS LAST, l.loan_id`,
    [asOf, ...params],
  );
  return rows.map(toBookedLoan);
}

/** The loans a network lends (its loan book). */
export const loansLentByNetwork = (manager: EntityManager, networkId: string, asOf: string): Promise<BookedLoan[]> =>
  queryLoans(manager, asOf, `l.lender_type = 'network' AND l.lender_id = $2`, [networkId]);

/** The loans an SHG borrows (from its network) and lends (to its members). */
export const loansOfShg = (manager: EntityManager, shgId: string, asOf: string): Promise<BookedLoan[]> =>
  queryLoans(manager, asOf, `(l.borrower_type = 'shg' AND l.borrower_id = $2) OR (l.lender_type = 'shg' AND l.lender_id = $2)`, [shgId]);
