import type { BookedLoan } from '../loan-book/booked-loans';
import { commonFund } from './common-fund';

const loan = (overrides: Partial<BookedLoan>): BookedLoan => ({
  id: 'loan',
  lender: { type: 'network', id: 'n' },
  borrower: { type: 'shg', id: 's' },
  purpose: 'goats',
  principal: 100_000,
  status: 'active',
  fundingSource: 'common-fund',
  disbursedOn: '2005-01-10',
  closedOn: null,
  schedule: [],
  paidToDate: { principal: 0, interest: 0 },
  ...overrides,
});

describe('commonFund', () => {
  it('is fees + contributions - lent out + repaid in', () => {
    const fund = commonFund(
      70_000n,
      200_000n,
      [loan({ principal: 120_000, paidToDate: { principal: 30_000, interest: 1_200 } })],
      '2005-09-01',
    );
    expect(fund).toEqual({ balance: 181_200n, feesCollected: 70_000n, contributions: 200_000n, lentOut: 120_000n, repaidIn: 31_200n });
    expect(fund.balance).toBe(fund.feesCollected + fund.contributions - fund.lentOut + fund.repaidIn);
  });

  it('leaves out loans funded by a credit line and loans not disbursed', () => {
    const fund = commonFund(
      0n,
      500_000n,
      [
        loan({ fundingSource: 'credit-line', paidToDate: { principal: 10_000, interest: 500 } }),
        loan({ status: 'approved', disbursedOn: null }),
      ],
      '2005-09-01',
    );
    expect(fund).toMatchObject({ balance: 500_000n, lentOut: 0n, repaidIn: 0n });
  });

  it('leaves out a loan disbursed after asOf, and counts one disbursed that very day', () => {
    const loans = [loan({ disbursedOn: '2005-09-02' }), loan({ principal: 50_000, disbursedOn: '2005-09-01' })];
    expect(commonFund(0n, 500_000n, loans, '2005-09-01')).toMatchObject({ balance: 450_000n, lentOut: 50_000n });
  });
});
