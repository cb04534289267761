import type { IssuedCommand, UnitOfWork } from '@sangam/event-store';
import { lendingRelation } from '../../lenders/projections/membership';
import type { LoanCommandOf } from '../domain/loan.decider';
import type { LoanCommandHandler } from '../loan.command-handler';

/** An application as the route states it; the borrower's membership is lending's to look up. */
export type Application = IssuedCommand<{
  type: 'ApplyForLoan';
  data: Omit<LoanCommandOf<'ApplyForLoan'>['data'], 'borrowerBelongsToLender' | 'networkId'>;
}>;

/** Records an application, decided on whether the borrower is the lender's (lending's view of groups' membership). */
export async function applyForLoan(loans: LoanCommandHandler, unit: UnitOfWork, application: Application): Promise<void> {
  const { loanId, lender, borrower } = application.data;
  const relation = await lendingRelation(unit.manager, lender, borrower);
  await loans.handle(unit, loanId, { ...application, data: { ...application.data, ...relation } });
}
