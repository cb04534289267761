import type { BankLinkageEvent, GroupsEvent } from '@sangam/contracts';
import { CommutativeTable } from '../projections/commutative-table';
import type { Projection } from '../projections/projection';

export const networks = new CommutativeTable({
  name: 'networks',
  keys: { network_id: 'text' },
  facts: { name: 'text' },
});

/*
 * Every amount and membership change is keyed by its business date, so the dashboard can state
 * them as of any date by summing the rows dated on or before it.
 */

/** An SHG is a member while it has joined more often than it has left. */
export const networkMembers = new CommutativeTable({
  name: 'network_members',
  keys: { network_id: 'text', shg_id: 'text', changed_on: 'date' },
  sums: { joins: 'integer', exits: 'integer' },
});

export const networkFees = new CommutativeTable({
  name: 'network_fees',
  keys: { network_id: 'text', year: 'integer', shg_id: 'text', recorded_on: 'date' },
  sums: { assessed: 'bigint', paid: 'bigint' },
  indexes: [['shg_id']],
});

export const fundContributions = new CommutativeTable({
  name: 'fund_contributions',
  keys: { network_id: 'text', contributed_on: 'date' },
  sums: { amount: 'bigint' },
});

export const creditLines = new CommutativeTable({
  name: 'credit_lines',
  keys: { credit_line_id: 'text' },
  facts: { bank_id: 'text', borrower_type: 'text', borrower_id: 'text', credit_limit: 'bigint', sanctioned_on: 'date' },
  indexes: [['borrower_id']],
});

export const creditLineMovements = new CommutativeTable({
  name: 'credit_line_movements',
  keys: { credit_line_id: 'text', moved_on: 'date' },
  sums: { drawn: 'bigint', principal_repaid: 'bigint', interest_charged: 'bigint', interest_paid: 'bigint' },
});

/** Networks, their members, fees, common-fund contributions (groups' network streams) and credit lines (bank-linkage). */
export const networkDashboardProjection: Projection = {
  name: 'network-dashboard',
  lockKey: 2,
  topics: ['groups', 'bankLinkage'],
  tables: [networks, networkMembers, networkFees, fundContributions, creditLines, creditLineMovements],
  project(envelope, batch) {
    const event = { type: envelope.type, data: envelope.data } as GroupsEvent | BankLinkageEvent;
    switch (event.type) {
      case 'NetworkFormed':
        return batch.add(networks, { network_id: event.data.networkId, name: event.data.name });
      case 'ShgJoinedNetwork':
        return batch.add(networkMembers, {
          network_id: event.data.networkId,
          shg_id: event.data.shgId,
          changed_on: event.data.joinedOn,
          joins: 1,
        });
      case 'ShgExitedNetwork':
        return batch.add(networkMembers, {
          network_id: event.data.networkId,
          shg_id: event.data.shgId,
          changed_on: event.data.exitedOn,
          exits: 1,
        });
      case 'AnnualFeeAssessed': {
        const { networkId, shgId, year, amount, assessedOn } = event.data;
        return batch.add(networkFees, { network_id: networkId, year, shg_id: shgId, recorded_on: assessedOn, assessed: amount });
      }
      case 'AnnualFeePaid': {
        const { networkId, shgId, year, amount, paidOn } = event.data;
        return batch.add(networkFees, { network_id: networkId, year, shg_id: shgId, recorded_on: paidOn, paid: amount });
      }
      case 'FundContributed':
        return batch.add(fundContributions, {
          network_id: event.data.networkId,
          contributed_on: event.data.contributedOn,
          amount: event.data.amount,
        });
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
        return batch.add(creditLineMovements, {
          credit_line_id: event.data.creditLineId,
          moved_on: event.data.drawnOn,
          drawn: event.data.amount,
        });
      case 'CreditRepaid': {
        const { creditLineId, repaidOn, allocation } = event.data;
        return batch.add(creditLineMovements, {
          credit_line_id: creditLineId,
          moved_on: repaidOn,
          principal_repaid: allocation.principal,
          interest_paid: allocation.interest,
        });
      }
      case 'InterestCharged':
        return batch.add(creditLineMovements, {
          credit_line_id: event.data.creditLineId,
          moved_on: event.data.chargedOn,
          interest_charged: event.data.amount,
        });
    }
  },
};
