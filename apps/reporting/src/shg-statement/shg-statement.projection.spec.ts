import { groups } from '../../test/reporting-events';
import { batchOf, tablesDdl } from '../projections/projection';
import { shgs, shgSavings, shgStatementProjection } from './shg-statement.projection';

describe('shg-statement projection', () => {
  it('keeps free savings (deposits - withdrawals - pooled) and pooled savings, by the date they moved', () => {
    const shgId = 'shg-1';
    const batch = batchOf(
      shgStatementProjection,
      [
        groups(shgId, { type: 'ShgFormed', data: { shgId, name: 'Jai Bhavani', village: 'Pinguli', formedOn: '2004-06-01' } }),
        groups(shgId, {
          type: 'SavingsDeposited',
          data: { shgId, memberId: 'm1', depositId: 'd1', amount: 500_000, depositedOn: '2005-05-01' },
        }),
        groups(shgId, {
          type: 'SavingsWithdrawn',
          data: { shgId, memberId: 'm1', withdrawalId: 'w1', amount: 50_000, withdrawnOn: '2005-05-02' },
        }),
        groups(shgId, {
          type: 'SavingsPooled',
          data: { shgId, networkId: 'n1', contributionId: 'c1', amount: 200_000, pooledOn: '2005-05-03' },
        }),
        groups(shgId, {
          type: 'SavingsDeposited',
          data: { shgId, memberId: 'm2', depositId: 'd2', amount: 1_000, depositedOn: '2005-05-03' },
        }),
        groups('n1', {
          type: 'FundContributed',
          data: { networkId: 'n1', shgId, contributionId: 'c1', amount: 200_000, contributedOn: '2005-05-03' },
        }),
      ].map((e) => e.envelope),
    );
    expect(batch.rows(shgs)).toEqual([{ shg_id: shgId, name: 'Jai Bhavani' }]);
    expect(batch.rows(shgSavings)).toEqual([
      { shg_id: shgId, moved_on: '2005-05-01', savings: 500_000n, pooled: 0n, lent: 0n, earned: 0n },
      { shg_id: shgId, moved_on: '2005-05-02', savings: -50_000n, pooled: 0n, lent: 0n, earned: 0n },
      { shg_id: shgId, moved_on: '2005-05-03', savings: -199_000n, pooled: 200_000n, lent: 0n, earned: 0n },
    ]);
  });

  it('takes savings lent to members out of the free savings, and puts repaid principal and earned interest back', () => {
    const shgId = 'shg-1';
    const batch = batchOf(
      shgStatementProjection,
      [
        groups(shgId, { type: 'ShgSavingsLent', data: { shgId, loanId: 'l1', memberId: 'm1', amount: 100_000, lentOn: '2005-06-01' } }),
        groups(shgId, {
          type: 'ShgLoanRepaid',
          data: { shgId, loanId: 'l1', repaymentId: 'r1', principal: 10_000, interest: 2_000, paidOn: '2005-07-01' },
        }),
        groups(shgId, {
          type: 'ShgLoanRepaid',
          data: { shgId, loanId: 'l1', repaymentId: 'r2', principal: 10_000, interest: 1_500, paidOn: '2005-07-01' },
        }),
        groups(shgId, {
          type: 'ShgSavingsLendingRejected',
          data: { shgId, loanId: 'l2', amount: 900_000, reason: 'insufficient_savings', rejectedOn: '2005-07-02' },
        }),
      ].map((e) => e.envelope),
    );
    expect(batch.rows(shgSavings)).toEqual([
      { shg_id: shgId, moved_on: '2005-06-01', savings: -100_000n, pooled: 0n, lent: 100_000n, earned: 0n },
      { shg_id: shgId, moved_on: '2005-07-01', savings: 23_500n, pooled: 0n, lent: -20_000n, earned: 3_500n },
    ]);
  });
});

describe('shg-statement read model', () => {
  it("is named shg-statement, reads groups and keeps its rows in these tables (the name and the tables' shape pick the generation reads are answered from)", () => {
    expect(shgStatementProjection.name).toBe('shg-statement');
    expect(shgStatementProjection.topics).toEqual(['groups']);
    expect(tablesDdl(shgStatementProjection)).toEqual([
      'CREATE TABLE shgs (shg_id text NOT NULL, name text, PRIMARY KEY (shg_id))',
      'CREATE TABLE shg_savings (shg_id text NOT NULL, moved_on date NOT NULL, savings bigint NOT NULL DEFAULT 0, pooled bigint NOT NULL DEFAULT 0, lent bigint NOT NULL DEFAULT 0, earned bigint NOT NULL DEFAULT 0, PRIMARY KEY (shg_id, moved_on))',
    ]);
  });
});
