import { bankLinkage, groups } from '../../test/reporting-events';
import { batchOf, tablesDdl } from '../projections/projection';
import {
  creditLineMovements,
  creditLines,
  fundContributions,
  networkDashboardProjection,
  networkFees,
  networkMembers,
  networks,
} from './network-dashboard.projection';

const networkId = 'network-1';

describe('network-dashboard projection', () => {
  it('folds a batch of network events into one row per network, credit line, and key and date of each sum', () => {
    const batch = batchOf(
      networkDashboardProjection,
      [
        groups(networkId, {
          type: 'NetworkFormed',
          data: { networkId, name: 'Sindhudurg', cluster: 'Kudal', formedOn: '2005-04-01', annualFee: 30_000 },
        }),
        groups(networkId, { type: 'ShgJoinedNetwork', data: { networkId, shgId: 'shg-1', joinedOn: '2005-04-10' } }),
        groups(networkId, { type: 'ShgExitedNetwork', data: { networkId, shgId: 'shg-1', exitedOn: '2005-05-10' } }),
        groups(networkId, { type: 'ShgJoinedNetwork', data: { networkId, shgId: 'shg-1', joinedOn: '2005-06-10' } }),
        groups(networkId, {
          type: 'AnnualFeeAssessed',
          data: { networkId, shgId: 'shg-1', year: 2005, amount: 30_000, assessedOn: '2005-04-01' },
        }),
        groups(networkId, {
          type: 'AnnualFeePaid',
          data: { networkId, shgId: 'shg-1', year: 2005, amount: 10_000, paymentId: 'p1', paidOn: '2005-04-02' },
        }),
        groups(networkId, {
          type: 'AnnualFeePaid',
          data: { networkId, shgId: 'shg-1', year: 2005, amount: 5_000, paymentId: 'p2', paidOn: '2005-04-02' },
        }),
        groups(networkId, {
          type: 'FundContributed',
          data: { networkId, shgId: 'shg-1', contributionId: 'c1', amount: 70_000, contributedOn: '2005-04-04' },
        }),
        bankLinkage('line-1', {
          type: 'CreditDrawn',
          data: {
            creditLineId: 'line-1',
            drawdownId: 'd1',
            amount: 400_000,
            drawnOn: '2005-06-01',
            purpose: 'x',
            loanId: null,
            bankReference: null,
          },
        }),
        bankLinkage('line-1', {
          type: 'CreditLineSanctioned',
          data: {
            creditLineId: 'line-1',
            bankId: 'bank-1',
            borrower: { type: 'network', id: networkId },
            limit: 1_000_000,
            annualInterestRateBps: 1100,
            sanctionedOn: '2005-05-01',
            expiresOn: '2006-04-30',
          },
        }),
        bankLinkage('line-1', {
          type: 'InterestCharged',
          data: { creditLineId: 'line-1', amount: 3_000, chargedOn: '2005-06-30', bankReference: null },
        }),
        bankLinkage('line-1', {
          type: 'CreditRepaid',
          data: {
            creditLineId: 'line-1',
            repaymentId: 'r1',
            amount: 103_000,
            repaidOn: '2005-07-01',
            allocation: { interest: 3_000, principal: 100_000 },
            bankReference: null,
          },
        }),
      ].map((e) => e.envelope),
    );
    expect(batch.rows(networks)).toEqual([{ network_id: networkId, name: 'Sindhudurg' }]);
    expect(batch.rows(networkMembers)).toEqual([
      { network_id: networkId, shg_id: 'shg-1', changed_on: '2005-04-10', joins: 1n, exits: 0n },
      { network_id: networkId, shg_id: 'shg-1', changed_on: '2005-05-10', joins: 0n, exits: 1n },
      { network_id: networkId, shg_id: 'shg-1', changed_on: '2005-06-10', joins: 1n, exits: 0n },
    ]);
    expect(batch.rows(networkFees)).toEqual([
      { network_id: networkId, year: 2005, shg_id: 'shg-1', recorded_on: '2005-04-01', assessed: 30_000n, paid: 0n },
      { network_id: networkId, year: 2005, shg_id: 'shg-1', recorded_on: '2005-04-02', assessed: 0n, paid: 15_000n },
    ]);
    expect(batch.rows(fundContributions)).toEqual([{ network_id: networkId, contributed_on: '2005-04-04', amount: 70_000n }]);
    expect(batch.rows(creditLines)).toEqual([
      {
        credit_line_id: 'line-1',
        bank_id: 'bank-1',
        borrower_type: 'network',
        borrower_id: networkId,
        credit_limit: 1_000_000,
        sanctioned_on: '2005-05-01',
      },
    ]);
    expect(batch.rows(creditLineMovements)).toEqual([
      { credit_line_id: 'line-1', moved_on: '2005-06-01', drawn: 400_000n, principal_repaid: 0n, interest_charged: 0n, interest_paid: 0n },
      { credit_line_id: 'line-1', moved_on: '2005-06-30', drawn: 0n, principal_repaid: 0n, interest_charged: 3_000n, interest_paid: 0n },
      {
        credit_line_id: 'line-1',
        moved_on: '2005-07-01',
        drawn: 0n,
        principal_repaid: 100_000n,
        interest_charged: 0n,
        interest_paid: 3_000n,
      },
    ]);
  });

  it("leaves the SHG side of two-sided facts to the SHG's own projection", () => {
    const batch = batchOf(
      networkDashboardProjection,
      [
        groups('shg-1', {
          type: 'SavingsPooled',
          data: { shgId: 'shg-1', networkId, contributionId: 'c1', amount: 70_000, pooledOn: '2005-04-04' },
        }),
        groups('shg-1', { type: 'NetworkMembershipRecorded', data: { shgId: 'shg-1', networkId, joinedOn: '2005-04-10' } }),
      ].map((e) => e.envelope),
    );
    for (const table of networkDashboardProjection.tables) expect(batch.rows(table)).toEqual([]);
  });
});

describe('network-dashboard read model', () => {
  it("is named network-dashboard, reads groups and bankLinkage and keeps its rows in these tables (the name and the tables' shape pick the generation reads are answered from)", () => {
    expect(networkDashboardProjection.name).toBe('network-dashboard');
    expect(networkDashboardProjection.topics).toEqual(['groups', 'bankLinkage']);
    expect(tablesDdl(networkDashboardProjection)).toEqual([
      'CREATE TABLE networks (network_id text NOT NULL, name text, PRIMARY KEY (network_id))',
      'CREATE TABLE network_members (network_id text NOT NULL, shg_id text NOT NULL, changed_on date NOT NULL, joins integer NOT NULL DEFAULT 0, exits integer NOT NULL DEFAULT 0, PRIMARY KEY (network_id, shg_id, changed_on))',
      'CREATE TABLE network_fees (network_id text NOT NULL, year integer NOT NULL, shg_id text NOT NULL, recorded_on date NOT NULL, assessed bigint NOT NULL DEFAULT 0, paid bigint NOT NULL DEFAULT 0, PRIMARY KEY (network_id, year, shg_id, recorded_on))',
      'CREATE INDEX ON network_fees (shg_id)',
      'CREATE TABLE fund_contributions (network_id text NOT NULL, contributed_on date NOT NULL, amount bigint NOT NULL DEFAULT 0, PRIMARY KEY (network_id, contributed_on))',
      'CREATE TABLE credit_lines (credit_line_id text NOT NULL, bank_id text, borrower_type text, borrower_id text, credit_limit bigint, sanctioned_on date, PRIMARY KEY (credit_line_id))',
      'CREATE INDEX ON credit_lines (borrower_id)',
      'CREATE TABLE credit_line_movements (credit_line_id text NOT NULL, moved_on date NOT NULL, drawn bigint NOT NULL DEFAULT 0, principal_repaid bigint NOT NULL DEFAULT 0, interest_charged bigint NOT NULL DEFAULT 0, interest_paid bigint NOT NULL DEFAULT 0, PRIMARY KEY (credit_line_id, moved_on))',
    ]);
  });
});
