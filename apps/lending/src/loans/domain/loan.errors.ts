import { dateOutOfOrder, DomainError, NotFoundError, ruleBroken } from '@sangam/domain';
import type { LoanStatus } from './loan.events';

export const LoanErrors = {
  notFound: (loanId: string) => new NotFoundError('Loan', loanId),
  stateForbids: (loanId: string, status: LoanStatus, action: string) =>
    new DomainError('conflict', `Loan ${loanId} is ${status} and cannot be ${action}`, 'conflict'),
  invalidFunding: (field: string, message: string) =>
    new DomainError('validation_failed', 'The request is invalid', 'validation', [{ field, message }]),
  borrowerNotInNetwork: () => ruleBroken('borrower_not_in_network', 'A network lends only to SHGs that are its members'),
  borrowerNotInShg: () => ruleBroken('borrower_not_in_shg', 'An SHG lends only to its own members'),
  insufficientFunds: (available: bigint, principal: number) =>
    ruleBroken('insufficient_funds', `The lender has ${available} paise available, less than the principal of ${principal}`),
  /** The contract's date_out_of_order (this was disbursement_before_approval before the contract named one code for every date rule). */
  disbursementBeforeApproval: (disbursedOn: string, approvedOn: string) =>
    dateOutOfOrder('disbursedOn', disbursedOn, approvedOn, 'the loan was approved'),
  notActive: (status: LoanStatus) => ruleBroken('loan_not_active', `Repayments are taken only on active loans; this loan is ${status}`),
  /** date_out_of_order (was repayment_before_disbursement). */
  repaymentBeforeDisbursement: (paidOn: string, disbursedOn: string) =>
    dateOutOfOrder('paidOn', paidOn, disbursedOn, 'the loan was disbursed'),
  sameUserAsApplicant: () =>
    new DomainError('forbidden', 'Four eyes: the user who recorded a loan application cannot approve, reject or disburse it', 'forbidden'),
  overpayment: (owed: number) => ruleBroken('loan_overpayment', `The repayment is more than the ${owed} paise still owed`),
};
