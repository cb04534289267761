import type { CreditDrawnData, CreditDrawRejectedData, ShgSavingsLendingRejectedData } from '@sangam/contracts';
import type { EventEnvelope } from '@sangam/messaging';
import { textField } from '../../inbound-event-fields';
import type { LoanCommand } from '../domain/loan.decider';

/**
 * The owner's answer to a LoanDisbursementRequested, as a loan command: bank-linkage's draw (or
 * refusal) on a credit line, groups' lending (or refusal) of an SHG's savings. Null for anything
 * else on those topics.
 */
export function fundingAnswer(envelope: EventEnvelope): LoanCommand | null {
  const loanId = (envelope.data as { loanId?: unknown }).loanId;
  if (typeof loanId !== 'string') return null;
  switch (envelope.type) {
    case 'CreditDrawn':
      return {
        type: 'RecordFunded',
        data: {
          loanId,
          source: 'credit-line',
          creditLineId: textField<CreditDrawnData>(envelope, 'creditLineId'),
          drawdownId: textField<CreditDrawnData>(envelope, 'drawdownId'),
        },
      };
    case 'CreditDrawRejected':
      return {
        type: 'RecordFundingRefused',
        data: {
          loanId,
          source: 'credit-line',
          creditLineId: textField<CreditDrawRejectedData>(envelope, 'creditLineId'),
          reason: textField<CreditDrawRejectedData>(envelope, 'reason'),
          refusedOn: textField<CreditDrawRejectedData>(envelope, 'rejectedOn'),
        },
      };
    case 'ShgSavingsLent':
      return { type: 'RecordFunded', data: { loanId, source: 'shg-savings', creditLineId: null, drawdownId: null } };
    case 'ShgSavingsLendingRejected':
      return {
        type: 'RecordFundingRefused',
        data: {
          loanId,
          source: 'shg-savings',
          creditLineId: null,
          reason: textField<ShgSavingsLendingRejectedData>(envelope, 'reason'),
          refusedOn: textField<ShgSavingsLendingRejectedData>(envelope, 'rejectedOn'),
        },
      };
    default:
      return null;
  }
}
