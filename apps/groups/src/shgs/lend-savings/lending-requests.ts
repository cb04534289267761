import { asksGroups, type LoanDisbursementRequestedData, type RepaymentReceivedData } from '@sangam/contracts';
import type { EventEnvelope } from '@sangam/messaging';
import type { ShgCommand } from '../domain/shg.decider';

/**
 * What lending's events ask of an SHG's savings, as SHG commands: lend for a loan from the
 * savings, count a repayment of one. Null for everything else on lending's topic.
 */
export function savingsCommandOf(envelope: EventEnvelope): ShgCommand | null {
  if (envelope.type === 'LoanDisbursementRequested') {
    const request = envelope.data as LoanDisbursementRequestedData;
    if (!asksGroups(request) || request.lender.type !== 'shg' || request.borrower.type !== 'member') return null;
    return {
      type: 'LendSavings',
      data: {
        shgId: request.lender.id,
        loanId: request.loanId,
        memberId: request.borrower.id,
        amount: request.amount,
        lentOn: request.requestedOn,
      },
    };
  }
  if (envelope.type === 'RepaymentReceived') {
    const repayment = envelope.data as RepaymentReceivedData;
    if (repayment.fundingSource !== 'shg-savings' || repayment.lender.type !== 'shg') return null;
    const { loanId, repaymentId, allocation, paidOn } = repayment;
    return {
      type: 'RecordLoanRepayment',
      data: { shgId: repayment.lender.id, loanId, repaymentId, principal: allocation.principal, interest: allocation.interest, paidOn },
    };
  }
  return null;
}
