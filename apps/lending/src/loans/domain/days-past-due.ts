import { daysBetween } from '@sangam/domain';
import type { InstallmentAllocation, ScheduledInstallment } from './loan.events';

export interface DatedRepayment {
  paidOn: string;
  installments: readonly InstallmentAllocation[];
}

/**
 * The age in days of the oldest installment not fully paid as of `asOf`; repayments made after
 * `asOf` do not count, so a past date gives the arrears as they stood then.
 */
export function daysPastDue(schedule: readonly ScheduledInstallment[], repayments: readonly DatedRepayment[], asOf: string): number {
  const paid = new Map<number, number>();
  for (const repayment of repayments) {
    if (repayment.paidOn > asOf) continue;
    for (const line of repayment.installments) paid.set(line.number, (paid.get(line.number) ?? 0) + line.interest + line.principal);
  }
  const oldestUnpaid = schedule.find((i) => (paid.get(i.number) ?? 0) < i.principal + i.interest);
  return oldestUnpaid ? Math.max(0, daysBetween(oldestUnpaid.dueOn, asOf)) : 0;
}
