import { groups } from '../../test/reporting-events';
import { batchOf } from '../projections/projection';
import { shgSavings, shgStatementProjection } from './shg-statement.projection';

describe('shg-statement projection', () => {
  it('keeps free savings (deposits - withdrawals - pooled) and pooled savings', () => {
    const shgId = 'shg-1';
    const batch = batchOf(shgStatementProjection, [
      groups(shgId, { type: 'ShgFormed', data: { shgId, name: 'Jai Bhavani', village: 'Pinguli', formedOn: '2004-06-01' } }),
      groups(shgId, { type: 'SavingsDeposited', data: { shgId, memberId: 'm1', depositId: 'd1', amount: 500_000, depositedOn: '2005-05-01' } }),
      groups(shgId, { type: 'SavingsWithdrawn', data: { shgId, memberId: 'm1', withdrawalId: 'w1', amount: 50_000, withdrawnOn: '2005-05-02' } }),
      groups(shgId, { type: 'SavingsPooled', data: { shgId, networkId: 'n1', contributionId: 'c1', amount: 200_000, pooledOn: '2005-05-03' } }),
      groups('n1', { type: 'FundContributed', data: { networkId: 'n1', shgId, contributionId: 'c1', amount: 200_000, contributedOn: '2005-05-03' } }),
    ].map((e) => e.envelope));
    expect(batch.rows(shgSavings)).toEqual([{ shg_id: shgId, name: 'Jai Bhavani', savings: 250_000n, pooled: 200_000n }]);
  });
});
