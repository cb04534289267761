import type { BankLinkageEvent, GroupsEvent } from '@sangam/contracts';
import { CommutativeTable } from '../projections/commutative-table';
import type { Projection } from '../projections/projection';

export const networks = new CommutativeTable({
  name: 'networks',
  keys: { network_id: 'text' },
  facts: { name: 'text' },
});

/** An SHG is a member while it has joined more often than it has left. */
export const networkMembers = new CommutativeTable({
  name: 'network_members',
  keys: { network_id: 'text', shg_id: 'text' },
  sums: { joins: 'integer', exits: 'integer' },
});

export const networkFees = new CommutativeTable({
  name: 'network_fees',
  keys: { network_id: 'text', year: 'integer', shg_id: 'text' },
  sums: { assessed: 'bigint', paid: 'bigint' },
  indexes: [['shg_id']],
});

export const fundContributions = new CommutativeTable({
  name: 'fund_contributions',
  keys: { network_id: 'text' },
  sums: { amount: 'bigint' },
});

export const creditLines = new CommutativeTable({
  name: 'credit_lines',
  keys: { credit_line_id: 'text' },
  facts: { bank_id: 'text', borrower_type: 'text', borrower_id: 'text', credit_limit: 'bigint', sanctioned_on: 'date' },
  sums: { drawn: 'bigint', principal_repaid: 'bigint', interest_charged: 'bigint', interest_paid: 'bigint' },
  indexes: [['borrower_id']],
});

/** Networks, their members, fees, common-fund contributions (groups' network streams) and credit lines (bank-linkage). */
export const networkDashboardProjection: Projection = {
  name: 'network-dashboard',
  lockKey: 2,
  topics: ['groups', 'bankLinkage'],
  tables: [networks, networkMembers, networkFees, fundContributions, creditLines],
  project(envelope, batch) {
    const event = { type: envelope.type, data: envelope.data } as GroupsEvent | BankLinkageEvent;
    switch (event.type) {
      case 'NetworkFormed':
        return batch.add(networks, { network_id: event.data.networkId, name: event.data.name });
      case 'ShgJoinedNetwork':
        return batch.add(networkMembers, { network_id: event.data.networkId, shg_id: event.data.shgId, joins: 1 });
      case 'ShgExitedNetwork':
        return batch.add(networkMembers, { network_id: event.data.networkId, shg_id: event.data.shgId, exits: 1 });
      case 'AnnualFeeAssessed': {
        const { networkId, shgId, year, amount } = event.data;
        return batch.add(networkFees, { network_id: networkId, year, shg_id: shgId, assessed: amount });
      }
      case 'AnnualFeePaid': {
        const { networkId, shgId, year, amount } = event.data;
        return batch.add(networkFees, { network_id: networkId, year, shg_id: shgId, paid: amount });
      }
      case 'FundContributed':
        return batch.add(fundContributions, { network_id: event.data.networkId, amount: event.data.amount });
      case 'CreditLineSanctioned': {
        const { creditLineId, bankId, borrower, limit, sanctionedOn } = event.data;
        return batch.add(creditLines, {
          credit_line_id: creditLineId,
          bank_id: bankId,
          borrower_type: borrower.type,
          borrower_id: borrower.id,
          credit_limit: limit,
          sanctioned_on: sanctionedOn,
        });
      }
      case 'CreditDrawn':
        return batch.add(creditLines, { credit_line_id: event.data.creditLineId, drawn: event.data.amount });
      case 'CreditRepaid': {
        const { creditLineId, allocation } = event.data;
        return batch.add(creditLines, { credit_line_id: creditLineId, principal_repaid: allocation.principal, interest_paid: allocation.interest });
      }
      case 'InterestCharged':
        return batch.add(creditLines, { credit_line_id: event.data.creditLineId, interest_charged: event.data.amount });
    }
  },
};
