import type { BookedLoan } from './booked-loans';
import { portfolioAtRisk, summarizeLoanBook } from './loan-book-summary';

describe('portfolioAtRisk', () => {
  it.each<[bigint, bigint, number]>([
    [0n, 0n, 0],
    [0n, 1_000n, 0],
    [1_000n, 1_000n, 1],
    [1n, 3n, 0.3333],
    [2n, 3n, 0.6667],
    [1_000_000n, 1_090_000n, 0.9174],
    [1n, 20_000n, 0.0001],
    [1n, 20_001n, 0],
  ])('%p at risk of %p outstanding is %p', (atRisk, outstanding, expected) => {
    expect(portfolioAtRisk(atRisk, outstanding)).toBe(expected);
  });

  it('stays exact for sums beyond the safe integer range', () => {
    const outstanding = 3n * BigInt(Number.MAX_SAFE_INTEGER);
    expect(portfolioAtRisk(outstanding / 3n, outstanding)).toBe(0.3333);
  });
});

describe('summarizeLoanBook', () => {
  const installment = (number: number, dueOn: string) => ({ number, dueOn, principal: 50_000, interest: 1_000 });
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
    schedule: [installment(1, '2005-02-10'), installment(2, '2005-03-10')],
    paidToDate: { principal: 0, interest: 0 },
    ...overrides,
  });

  it('counts loans, money and arrears as of the date', () => {
    const book = [
      loan({ id: 'late 33 days' }),
      loan({ id: 'paid up', paidToDate: { principal: 50_000, interest: 1_000 } }),
      loan({ id: 'closed', closedOn: '2005-03-10', paidToDate: { principal: 100_000, interest: 2_000 } }),
      loan({ id: 'approved', status: 'approved', disbursedOn: null, schedule: [] }),
      loan({ id: 'disbursed later', disbursedOn: '2005-04-01' }),
    ];
    expect(summarizeLoanBook(book, '2005-03-15')).toEqual({
      count: 5,
      active: 2,
      closed: 1,
      disbursedPrincipal: 300_000n,
      outstandingPrincipal: 150_000n,
      principalRepaid: 150_000n,
      interestCollected: 3_000n,
      overdueCount: 2,
      par30: 0.6667,
    });
  });

  it('counts a loan as at risk from its 31st day past due, overdue from its first', () => {
    const thirtyDaysLate = loan({ id: '30 days late', schedule: [installment(1, '2005-02-10')] });
    expect(summarizeLoanBook([thirtyDaysLate], '2005-03-12')).toMatchObject({ overdueCount: 1, par30: 0 });
    expect(summarizeLoanBook([thirtyDaysLate], '2005-03-13')).toMatchObject({ overdueCount: 1, par30: 1 });
    expect(summarizeLoanBook([thirtyDaysLate], '2005-02-10')).toMatchObject({ overdueCount: 0, par30: 0 });
    expect(summarizeLoanBook([thirtyDaysLate], '2005-02-11')).toMatchObject({ overdueCount: 1, par30: 0 });
  });

  it('has no portfolio at risk when nothing is outstanding', () => {
    expect(summarizeLoanBook([], '2005-03-15')).toMatchObject({ count: 0, outstandingPrincipal: 0n, par30: 0 });
  });
});
