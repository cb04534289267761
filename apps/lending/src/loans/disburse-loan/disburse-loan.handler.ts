import type { IssuedCommand, UnitOfWork } from '@sangam/event-store';
import { isFundedFromCommonFund, type LoanCommandOf } from '../domain/loan.decider';
import type { LoanCommandHandler } from '../loan.command-handler';
import { statusChange, type LoanStatusChange } from '../loan.responses';
import { lockAvailableFunds } from './available-funds';

/**
 * Disburses an approved loan. A common-fund loan is decided on the fund's available money, read
 * under the fund's lock so that two disbursements never spend the same rupees; the loan's row is
 * locked first, the order every writer of a loan and its fund keeps.
 */
export async function disburseLoan(
  loans: LoanCommandHandler,
  unit: UnitOfWork,
  command: IssuedCommand<LoanCommandOf<'DisburseLoan'>>,
): Promise<LoanStatusChange> {
  const { loanId } = command.data;
  const { state: loan } = await loans.readLocked(unit, loanId);
  const availableFunds =
    loan.status !== 'none' && isFundedFromCommonFund(loan) ? await lockAvailableFunds(unit.manager, loan.terms.lender) : undefined;
  const { state } = await loans.handle(unit, loanId, { ...command, data: { ...command.data, availableFunds } });
  return statusChange(loanId, state);
}
