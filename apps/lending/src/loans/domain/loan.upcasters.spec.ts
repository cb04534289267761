import { UpcasterChain } from '@sangam/domain';
import { LOAN_UPCASTERS } from './loan.upcasters';

/** A LoanDisbursementRequested as lending recorded it before SHG savings were lent through groups: schemaVersion 1. */
const v1Data = {
  loanId: 'loan-1',
  creditLineId: 'line-1',
  amount: 5_000_000,
  purpose: 'goat farming',
  requestedOn: '2005-06-15',
  borrower: { type: 'shg', id: 'shg-1' },
  lender: { type: 'network', id: 'network-1' },
};

describe("lending's stored loan events of an older schemaVersion", () => {
  const chain = new UpcasterChain(LOAN_UPCASTERS);

  it('reads LoanDisbursementRequested at schemaVersion 2', () => {
    expect(chain.currentVersion('LoanDisbursementRequested')).toBe(2);
  });

  it('reads a v1 request without a fundingSource as funded from a credit line, its other data as recorded', () => {
    expect(chain.upcast({ type: 'LoanDisbursementRequested', schemaVersion: 1, data: v1Data })).toEqual({
      type: 'LoanDisbursementRequested',
      schemaVersion: 2,
      data: { ...v1Data, fundingSource: 'credit-line' },
    });
  });

  it('keeps the fundingSource a v1 request already names', () => {
    const named = { ...v1Data, creditLineId: null, fundingSource: 'shg-savings' };
    expect(chain.upcast({ type: 'LoanDisbursementRequested', schemaVersion: 1, data: named })).toEqual({
      type: 'LoanDisbursementRequested',
      schemaVersion: 2,
      data: named,
    });
  });

  it('leaves a v2 request, and the other loan events, as they are', () => {
    const v2 = { type: 'LoanDisbursementRequested', schemaVersion: 2, data: { ...v1Data, fundingSource: 'shg-savings' } };
    expect(chain.upcast(v2)).toBe(v2);
    const closed = { type: 'LoanClosed', schemaVersion: 1, data: { loanId: 'loan-1', closedOn: '2006-06-15' } };
    expect(chain.upcast(closed)).toBe(closed);
  });
});
