import type { BookedLoan } from '../loan-book/booked-loans';

export interface CommonFund {
  balance: bigint;
  feesCollected: bigint;
  contributions: bigint;
  lentOut: bigint;
  repaidIn: bigint;
}

/**
 * The network's common fund on `asOf`: fees and pooled savings in (the caller's sums to that
 * date), loans funded from it and disbursed by then out, and their repayments (principal and
 * interest) to that date back in. Loans funded by a credit line do not touch it.
 */
export function commonFund(feesCollected: bigint, contributions: bigint, networkLoans: readonly BookedLoan[], asOf: string): CommonFund {
  let lentOut = 0n;
  let repaidIn = 0n;
  for (const loan of networkLoans) {
    if (loan.fundingSource !== 'common-fund' || loan.disbursedOn === null || loan.disbursedOn > asOf) continue;
    lentOut += BigInt(loan.principal);
    repaidIn += BigInt(loan.paidToDate.principal) + BigInt(loan.paidToDate.interest);
  }
  return { balance: feesCollected + contributions - lentOut + repaidIn, feesCollected, contributions, lentOut, repaidIn };
}
