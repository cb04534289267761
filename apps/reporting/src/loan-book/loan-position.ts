import type { ScheduledInstallment } from '@sangam/contracts';
import { daysBetween } from '@sangam/domain';

export interface Paid {
  principal: number;
  interest: number;
}

export interface LoanFacts {
  principal: number;
  disbursedOn: string | null;
  closedOn: string | null;
  schedule: readonly ScheduledInstallment[];
  /** Repayments dated on or before the as-of date. */
  paidToDate: Paid;
}

export interface LoanPosition {
  disbursed: boolean;
  closed: boolean;
  outstandingPrincipal: number;
  daysPastDue: number;
}

/**
 * Age in days of the oldest installment due by `asOf` and not fully paid (0 if none). Lending
 * allocates repayments to interest, then principal, each oldest installment first, so
 * installment k is fully paid once both the interest and the principal scheduled up to k are.
 */
export function daysPastDue(schedule: readonly ScheduledInstallment[], paid: Paid, asOf: string): number {
  let interest = 0;
  let principal = 0;
  for (const installment of [...schedule].sort((a, b) => a.number - b.number)) {
    if (installment.dueOn > asOf) return 0;
    interest += installment.interest;
    principal += installment.principal;
    if (interest > paid.interest || principal > paid.principal) return daysBetween(installment.dueOn, asOf);
  }
  return 0;
}

/** A loan as it stood on `asOf`: disbursed and closed by then, principal still owed, arrears. */
export function positionOf(loan: LoanFacts, asOf: string): LoanPosition {
  const disbursed = loan.disbursedOn !== null && loan.disbursedOn <= asOf;
  const closed = loan.closedOn !== null && loan.closedOn <= asOf;
  return {
    disbursed,
    closed,
    outstandingPrincipal: disbursed ? loan.principal - loan.paidToDate.principal : 0,
    daysPastDue: disbursed && !closed ? daysPastDue(loan.schedule, loan.paidToDate, asOf) : 0,
  };
}
