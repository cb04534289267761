import type { BookedLoan } from '../loan-book/booked-loans';

export interface CommonFund {
  balance: bigint;
  feesCollected: bigint;
  contributions: bigint;
  lentOut: bigint;
  repaidIn: bigint;
}

/**
 * The network's common fund: fees and pooled savings in, loans funded from it out, and their
 * repayments (principal and interest) back in. Loans funded by a credit line do not touch it.
 */
export function commonFund(feesCollected: bigint, contributions: bigint, networkLoans: readonly BookedLoan[]): CommonFund {
  let lentOut = 0n;
  let repaidIn = 0n;
  for (const loan of networkLoans) {
    if (loan.fundingSource !== 'common-fund' || loan.disbursedOn === null) continue;
    lentOut += BigInt(loan.principal);
    repaidIn += BigInt(loan.paidInTotal.principal) + BigInt(loan.paidInTotal.interest);
  }
  return { balance: feesCollected + contributions - lentOut + repaidIn, feesCollected, contributions, lentOut, repaidIn };
}
