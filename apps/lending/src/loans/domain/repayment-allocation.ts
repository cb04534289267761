import { allocateInOrder } from '@sangam/money';
import type { Allocation, InstallmentAllocation, ScheduledInstallment } from './loan.events';

export interface InstallmentBalance extends ScheduledInstallment {
  paidPrincipal: number;
  paidInterest: number;
}

export interface RepaymentAllocation extends Allocation {
  installments: InstallmentAllocation[];
}

interface Bucket {
  number: number;
  part: keyof Allocation;
  size: number;
}

const interestBucket = (i: InstallmentBalance): Bucket => ({ number: i.number, part: 'interest', size: i.interest - i.paidInterest });
const principalBucket = (i: InstallmentBalance): Bucket => ({ number: i.number, part: 'principal', size: i.principal - i.paidPrincipal });

export const amountOwed = (installments: readonly InstallmentBalance[]): number =>
  installments.reduce((owed, i) => owed + i.principal - i.paidPrincipal + i.interest - i.paidInterest, 0);

/**
 * The RBI order: interest of every installment already due, then their principal, oldest first;
 * anything beyond pays the installments not yet due in turn, each interest before principal.
 * The caller makes sure that `amount` does not exceed what is owed.
 */
export function allocateRepayment(installments: readonly InstallmentBalance[], amount: number, paidOn: string): RepaymentAllocation {
  const due = installments.filter((i) => i.dueOn <= paidOn);
  const notYetDue = installments.filter((i) => i.dueOn > paidOn);
  const buckets = [
    ...due.map(interestBucket),
    ...due.map(principalBucket),
    ...notYetDue.flatMap((i) => [interestBucket(i), principalBucket(i)]),
  ];
  const { taken } = allocateInOrder(
    amount,
    buckets.map((b) => b.size),
  );
  const byInstallment = new Map<number, InstallmentAllocation>();
  buckets.forEach((bucket, index) => {
    if (taken[index] === 0) return;
    const line = byInstallment.get(bucket.number) ?? { number: bucket.number, interest: 0, principal: 0 };
    line[bucket.part] += taken[index];
    byInstallment.set(bucket.number, line);
  });
  const lines = [...byInstallment.values()].sort((a, b) => a.number - b.number);
  return {
    interest: lines.reduce((sum, l) => sum + l.interest, 0),
    principal: lines.reduce((sum, l) => sum + l.principal, 0),
    installments: lines,
  };
}

export function applyAllocation(
  installments: readonly InstallmentBalance[],
  lines: readonly InstallmentAllocation[],
): InstallmentBalance[] {
  const byNumber = new Map(lines.map((l) => [l.number, l]));
  return installments.map((i) => {
    const line = byNumber.get(i.number);
    return line ? { ...i, paidInterest: i.paidInterest + line.interest, paidPrincipal: i.paidPrincipal + line.principal } : i;
  });
}
