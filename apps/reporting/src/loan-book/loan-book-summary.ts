import { divideHalfUp } from '@sangam/money';
import type { BookedLoan } from './booked-loans';
import { positionOf } from './loan-position';

export interface LoanBookSummary {
  count: number;
  active: number;
  closed: number;
  disbursedPrincipal: bigint;
  outstandingPrincipal: bigint;
  principalRepaid: bigint;
  interestCollected: bigint;
  overdueCount: number;
  par30: number;
}

const PAR_SCALE = 10_000n;

/** Portfolio at risk: the share of outstanding principal more than 30 days past due, to 4 decimals (half-up). */
export function portfolioAtRisk(atRisk: bigint, outstanding: bigint): number {
  if (outstanding === 0n) return 0;
  return Number(divideHalfUp(atRisk * PAR_SCALE, outstanding)) / Number(PAR_SCALE);
}

/** A lender's loan book as it stood on `asOf`: loans disbursed, repaid and overdue by then. */
export function summarizeLoanBook(loans: readonly BookedLoan[], asOf: string): LoanBookSummary {
  const summary = {
    count: loans.length,
    active: 0,
    closed: 0,
    overdueCount: 0,
    disbursedPrincipal: 0n,
    outstandingPrincipal: 0n,
    principalRepaid: 0n,
    interestCollected: 0n,
  };
  let atRisk = 0n;
  for (const loan of loans) {
    const position = positionOf(loan, asOf);
    if (!position.disbursed) continue;
    if (position.closed) summary.closed++;
    else summary.active++;
    if (position.daysPastDue > 0) summary.overdueCount++;
    if (position.daysPastDue > 30) atRisk += BigInt(position.outstandingPrincipal);
    summary.disbursedPrincipal += BigInt(loan.principal);
    summary.outstandingPrincipal += BigInt(position.outstandingPrincipal);
    summary.principalRepaid += BigInt(loan.paidToDate.principal);
    summary.interestCollected += BigInt(loan.paidToDate.interest);
  }
  return { ...summary, par30: portfolioAtRisk(atRisk, summary.outstandingPrincipal) };
}
