import type { GroupsEvent } from '@sangam/contracts';
import { CommutativeTable } from '../projections/commutative-table';
import type { Projection } from '../projections/projection';

/** Free savings are deposits - withdrawals - pooled; pooled savings went into the network's common fund. */
export const shgSavings = new CommutativeTable({
  name: 'shg_savings',
  keys: { shg_id: 'text' },
  facts: { name: 'text' },
  sums: { savings: 'bigint', pooled: 'bigint' },
});

/** SHGs and their savings, from the SHG-side events of groups (the network side is the dashboard's). */
export const shgStatementProjection: Projection = {
  name: 'shg-statement',
  lockKey: 3,
  topics: ['groups'],
  tables: [shgSavings],
  project(envelope, batch) {
    const event = { type: envelope.type, data: envelope.data } as GroupsEvent;
    switch (event.type) {
      case 'ShgFormed':
        return batch.add(shgSavings, { shg_id: event.data.shgId, name: event.data.name });
      case 'SavingsDeposited':
        return batch.add(shgSavings, { shg_id: event.data.shgId, savings: event.data.amount });
      case 'SavingsWithdrawn':
        return batch.add(shgSavings, { shg_id: event.data.shgId, savings: -event.data.amount });
      case 'SavingsPooled':
        return batch.add(shgSavings, { shg_id: event.data.shgId, savings: -event.data.amount, pooled: event.data.amount });
    }
  },
};
