import type { EventEnvelope } from '@sangam/messaging';
import { creditDrawAnswer } from './credit-draw-answers';

const envelope = (type: string, data: object): EventEnvelope => ({
  eventId: 'e-1', type, streamId: 'line-1', streamVersion: 1, occurredAt: '', recordedAt: '', correlationId: 'c-1', causationId: 'req-1', actor: { service: 'bank-linkage' }, schemaVersion: 1, data,
});
const drawn = { creditLineId: 'line-1', drawdownId: 'draw-1', amount: 500, drawnOn: '2005-10-31', purpose: 'goats', loanId: 'loan-1', bankReference: null };

describe('creditDrawAnswer', () => {
  it('turns a draw made for a loan into RecordCreditDrawn', () => {
    expect(creditDrawAnswer(envelope('CreditDrawn', drawn))).toEqual({
      type: 'RecordCreditDrawn', data: { loanId: 'loan-1', creditLineId: 'line-1', drawdownId: 'draw-1' },
    });
  });

  it('turns a refused draw into RecordCreditDrawRejected with the reason', () => {
    const rejected = { creditLineId: 'line-1', loanId: 'loan-1', amount: 500, reason: 'insufficient_credit', rejectedOn: '2005-10-31' };
    expect(creditDrawAnswer(envelope('CreditDrawRejected', rejected))).toEqual({
      type: 'RecordCreditDrawRejected', data: { loanId: 'loan-1', creditLineId: 'line-1', reason: 'insufficient_credit', rejectedOn: '2005-10-31' },
    });
  });

  it('ignores draws that are not for a loan and other bank-linkage events', () => {
    expect(creditDrawAnswer(envelope('CreditDrawn', { ...drawn, loanId: null }))).toBeNull();
    expect(creditDrawAnswer(envelope('CreditRepaid', { creditLineId: 'line-1', loanId: 'loan-1', amount: 500 }))).toBeNull();
  });

  it('refuses an answer for a loan that lacks what the loan needs, so that it is dead-lettered', () => {
    expect(() => creditDrawAnswer(envelope('CreditDrawn', { ...drawn, drawdownId: undefined }))).toThrow(/drawdownId/);
  });
});
