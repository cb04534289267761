import type { GroupsEvent } from '@sangam/contracts';
import { CommutativeTable } from '../projections/commutative-table';
import type { Projection } from '../projections/projection';

export const shgs = new CommutativeTable({
  name: 'shgs',
  keys: { shg_id: 'text' },
  facts: { name: 'text' },
});

/**
 * Free savings are deposits - withdrawals - pooled - lent to members + interest earned; pooled
 * savings went into the network's common fund; lent is principal lent from the savings not yet
 * repaid. Keyed by date, to be stated as of any date.
 */
export const shgSavings = new CommutativeTable({
  name: 'shg_savings',
  keys: { shg_id: 'text', moved_on: 'date' },
  sums: { savings: 'bigint', pooled: 'bigint', lent: 'bigint', earned: 'bigint' },
});

/** SHGs and their savings, from the SHG-side events of groups (the network side is the dashboard's). */
export const shgStatementProjection: Projection = {
  name: 'shg-statement',
  lockKey: 3,
  topics: ['groups'],
  tables: [shgs, shgSavings],
  project(envelope, batch) {
    const event = { type: envelope.type, data: envelope.data } as GroupsEvent;
    switch (event.type) {
      case 'ShgFormed':
        return batch.add(shgs, { shg_id: event.data.shgId, name: event.data.name });
      case 'SavingsDeposited':
        return batch.add(shgSavings, { shg_id: event.data.shgId, moved_on: event.data.depositedOn, savings: event.data.amount });
      case 'SavingsWithdrawn':
        return batch.add(shgSavings, { shg_id: event.data.shgId, moved_on: event.data.withdrawnOn, savings: -event.data.amount });
      case 'SavingsPooled':
        return batch.add(shgSavings, {
          shg_id: event.data.shgId,
          moved_on: event.data.pooledOn,
          savings: -event.data.amount,
          pooled: event.data.amount,
        });
      case 'ShgSavingsLent':
        return batch.add(shgSavings, {
          shg_id: event.data.shgId,
          moved_on: event.data.lentOn,
          savings: -event.data.amount,
          lent: event.data.amount,
        });
      case 'ShgLoanRepaid': {
        const { shgId, paidOn, principal, interest } = event.data;
        return batch.add(shgSavings, {
          shg_id: shgId,
          moved_on: paidOn,
          savings: principal + interest,
          lent: -principal,
          earned: interest,
        });
      }
    }
  },
};
