import { compareCreditLine, compareLoan, compareNetwork, compareShg, type LendingLoan } from './compare';

const shg = 'shg-1';
const network = 'network-1';
const loan = (overrides: Partial<LendingLoan>): LendingLoan => ({
  id: 'loan-1',
  status: 'active',
  lender: { type: 'shg', id: shg },
  borrower: { type: 'member', id: 'm-1' },
  fundingSource: 'shg-savings',
  principal: 100_000,
  outstandingPrincipal: 80_000,
  principalPaid: 20_000,
  interestPaid: 3_000,
  ...overrides,
});
const figures = { savingsBalance: 73_000, pooledSavings: 50_000, lentToMembers: 80_000, interestEarned: 3_000 };

describe('reconcile comparisons', () => {
  it('finds nothing when the statement and lending agree with groups on an SHG', () => {
    expect(compareShg(shg, figures, figures, [loan({})])).toEqual([]);
  });

  it('names each SHG figure the statement states differently, and a statement that is missing', () => {
    expect(compareShg(shg, figures, { ...figures, savingsBalance: 73_001 }, [loan({})])).toEqual([
      { kind: 'shg', id: shg, figure: 'savingsBalance', owner: 'groups: 73000', view: 'reporting: 73001' },
    ]);
    expect(compareShg(shg, figures, null, [loan({})]).map((d) => d.figure)).toEqual([
      'savingsBalance',
      'pooledSavings',
      'lentToMembers',
      'interestEarned',
    ]);
  });

  it("holds what groups lent from the savings against lending's disbursed loans from them, and only those", () => {
    const others = [
      loan({ id: 'l-2', status: 'funding_failed' }),
      loan({ id: 'l-3', fundingSource: 'credit-line' }),
      loan({ id: 'l-4', lender: { type: 'shg', id: 'shg-2' } }),
    ];
    expect(compareShg(shg, figures, figures, [loan({}), ...others])).toEqual([]);
    expect(compareShg(shg, { ...figures, lentToMembers: 80_001 }, { ...figures, lentToMembers: 80_001 }, [loan({})])).toEqual([
      { kind: 'shg', id: shg, figure: 'lentToMembers', owner: 'groups: 80001', view: 'lending: 80000' },
    ]);
  });

  it("holds a network's fund inputs, loans out and repayments in against lending and the dashboard", () => {
    const fromFund = loan({ lender: { type: 'network', id: network }, borrower: { type: 'shg', id: shg }, fundingSource: 'common-fund' });
    const funds = { raised: 500_000, lentOut: 100_000, repaidIn: 23_000 };
    const dashboard = {
      memberShgCount: 2,
      creditLines: [],
      commonFund: { balance: 423_000, feesCollected: 60_000, contributions: 440_000, lentOut: 100_000, repaidIn: 23_000 },
    };
    expect(compareNetwork(network, { commonFund: 500_000, memberShgCount: 2 }, funds, dashboard, [fromFund])).toEqual([]);
    expect(
      compareNetwork(network, { commonFund: 500_000, memberShgCount: 2 }, { ...funds, raised: 499_999 }, dashboard, [fromFund]),
    ).toEqual([{ kind: 'network', id: network, figure: 'raised', owner: 'groups: 500000', view: 'lending: 499999' }]);
    const stale = { ...dashboard, commonFund: { ...dashboard.commonFund, repaidIn: 0, balance: 400_000 } };
    expect(
      compareNetwork(network, { commonFund: 500_000, memberShgCount: 2 }, funds, stale, [fromFund]).map((d) => [d.figure, d.view]),
    ).toEqual([
      ['repaidIn', 'reporting: 0'],
      ['balance', 'reporting: 400000'],
    ]);
  });

  it('holds a loan against the loan book, a missing entry included', () => {
    expect(compareLoan(loan({}), { id: 'loan-1', principal: 100_000, outstandingPrincipal: 80_000, status: 'active' })).toEqual([]);
    expect(compareLoan(loan({}), { id: 'loan-1', principal: 100_000, outstandingPrincipal: 80_000, status: 'closed' })).toEqual([
      { kind: 'loan', id: 'loan-1', figure: 'status', owner: 'lending: active', view: 'reporting: closed' },
    ]);
    expect(compareLoan(loan({}), undefined).map((d) => d.view)).toEqual(['reporting: missing', 'reporting: missing']);
  });

  it("holds a credit line against the borrowing network's dashboard", () => {
    const line = {
      id: 'cl-1',
      borrower: { type: 'network', id: network },
      limit: 5_000_000,
      drawn: 0,
      available: 5_000_000,
      interestCharged: 50_000,
      interestPaid: 50_000,
    };
    expect(compareCreditLine(line, { ...line })).toEqual([]);
    expect(compareCreditLine(line, { ...line, drawn: 1, available: 4_999_999 }).map((d) => d.figure)).toEqual(['drawn', 'available']);
  });
});
