import type { GroupsEvent } from '@sangam/contracts';
import { CommutativeTable } from '../projections/commutative-table';
import type { Projection } from '../projections/projection';

export const shgs = new CommutativeTable({
  name: 'shgs',
  keys: { shg_id: 'text' },
  facts: { name: 'text' },
});

/** Free savings are deposits - withdrawals - pooled; pooled savings went into the network's common fund. Keyed by date, to be stated as of any date. */
export const shgSavings = new CommutativeTable({
  name: 'shg_savings',
  keys: { shg_id: 'text', moved_on: 'date' },
  sums: { savings: 'bigint', pooled: 'bigint' },
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
        return batch.add(shgSavings, { shg_id: event.data.shgId, moved_on: event.data.pooledOn, savings: -event.data.amount, pooled: event.data.amount });
    }
  },
};
