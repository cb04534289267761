import type { CreditDrawnData, CreditDrawRejectedData } from '@sangam/contracts';
import type { EventEnvelope } from '@sangam/messaging';
import { textField } from '../../inbound-event-fields';
import type { LoanCommand } from '../domain/loan.decider';

/** Bank-linkage's answer to a LoanDisbursementRequested, as a loan command; null for anything else on its topic. */
export function creditDrawAnswer(envelope: EventEnvelope): LoanCommand | null {
  const loanId = (envelope.data as { loanId?: unknown }).loanId;
  if (typeof loanId !== 'string') return null;
  switch (envelope.type) {
    case 'CreditDrawn':
      return {
        type: 'RecordCreditDrawn',
        data: { loanId, creditLineId: textField<CreditDrawnData>(envelope, 'creditLineId'), drawdownId: textField<CreditDrawnData>(envelope, 'drawdownId') },
      };
    case 'CreditDrawRejected':
      return {
        type: 'RecordCreditDrawRejected',
        data: {
          loanId,
          creditLineId: textField<CreditDrawRejectedData>(envelope, 'creditLineId'),
          reason: textField<CreditDrawRejectedData>(envelope, 'reason'),
          rejectedOn: textField<CreditDrawRejectedData>(envelope, 'rejectedOn'),
        },
      };
    default:
      return null;
  }
}
