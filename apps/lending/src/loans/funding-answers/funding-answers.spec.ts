import type { EventEnvelope } from '@sangam/messaging';
import { fundingAnswer } from './funding-answers';

const envelope = (type: string, data: object): EventEnvelope => ({
  eventId: 'e-1',
  type,
  streamId: 'line-1',
  streamVersion: 1,
  occurredAt: '',
  recordedAt: '',
  correlationId: 'c-1',
  causationId: 'req-1',
  actor: { service: 'bank-linkage' },
  schemaVersion: 1,
  data,
});
const drawn = {
  creditLineId: 'line-1',
  drawdownId: 'draw-1',
  amount: 500,
  drawnOn: '2005-10-31',
  purpose: 'goats',
  loanId: 'loan-1',
  bankReference: null,
};

describe('fundingAnswer', () => {
  it('turns a draw made for a loan into RecordFunded from the line', () => {
    expect(fundingAnswer(envelope('CreditDrawn', drawn))).toEqual({
      type: 'RecordFunded',
      data: { loanId: 'loan-1', source: 'credit-line', creditLineId: 'line-1', drawdownId: 'draw-1' },
    });
  });

  it('turns a refused draw into RecordFundingRefused with the reason', () => {
    const rejected = { creditLineId: 'line-1', loanId: 'loan-1', amount: 500, reason: 'insufficient_credit', rejectedOn: '2005-10-31' };
    expect(fundingAnswer(envelope('CreditDrawRejected', rejected))).toEqual({
      type: 'RecordFundingRefused',
      data: { loanId: 'loan-1', source: 'credit-line', creditLineId: 'line-1', reason: 'insufficient_credit', refusedOn: '2005-10-31' },
    });
  });

  it('turns savings lent by groups into RecordFunded from the SHG savings, and a refusal into RecordFundingRefused', () => {
    const lent = { shgId: 'shg-1', loanId: 'loan-1', memberId: 'm-1', amount: 500, lentOn: '2005-10-31' };
    expect(fundingAnswer(envelope('ShgSavingsLent', lent))).toEqual({
      type: 'RecordFunded',
      data: { loanId: 'loan-1', source: 'shg-savings', creditLineId: null, drawdownId: null },
    });
    const refused = { shgId: 'shg-1', loanId: 'loan-1', amount: 500, reason: 'insufficient_savings', rejectedOn: '2005-10-31' };
    expect(fundingAnswer(envelope('ShgSavingsLendingRejected', refused))).toEqual({
      type: 'RecordFundingRefused',
      data: { loanId: 'loan-1', source: 'shg-savings', creditLineId: null, reason: 'insufficient_savings', refusedOn: '2005-10-31' },
    });
  });

  it('ignores draws that are not for a loan and other events', () => {
    expect(fundingAnswer(envelope('CreditDrawn', { ...drawn, loanId: null }))).toBeNull();
    expect(fundingAnswer(envelope('CreditRepaid', { creditLineId: 'line-1', loanId: 'loan-1', amount: 500 }))).toBeNull();
    expect(fundingAnswer(envelope('SavingsDeposited', { shgId: 'shg-1', amount: 500 }))).toBeNull();
  });

  it('refuses an answer for a loan that lacks what the loan needs, so that it is dead-lettered', () => {
    expect(() => fundingAnswer(envelope('CreditDrawn', { ...drawn, drawdownId: undefined }))).toThrow(/drawdownId/);
    expect(() => fundingAnswer(envelope('ShgSavingsLendingRejected', { loanId: 'loan-1', rejectedOn: '2005-10-31' }))).toThrow(/reason/);
  });
});
