import type { CreditBorrowerType, GroupsEvent } from '@sangam/contracts';
import type { ConsumedEvent } from '@sangam/messaging';
import { assertPaise } from '@sangam/money';

export type SavingsDelta = { type: CreditBorrowerType; id: string; change: bigint };

/**
 * Drawing power as groups' events tell it: a network's common fund (fees paid + contributions,
 * from the network streams), an SHG's free savings (deposits - withdrawals - pooled, from the SHG
 * streams). A row exists once the borrower is known, even at zero.
 */
export function savingsDelta(event: GroupsEvent): SavingsDelta | null {
  const amount = (value: number) => {
    assertPaise(value, `${event.type}.amount`);
    return BigInt(value);
  };
  switch (event.type) {
    case 'NetworkFormed':
      return { type: 'network', id: event.data.networkId, change: 0n };
    case 'AnnualFeePaid':
    case 'FundContributed':
      return { type: 'network', id: event.data.networkId, change: amount(event.data.amount) };
    case 'ShgFormed':
      return { type: 'shg', id: event.data.shgId, change: 0n };
    case 'SavingsDeposited':
      return { type: 'shg', id: event.data.shgId, change: amount(event.data.amount) };
    case 'SavingsWithdrawn':
    case 'SavingsPooled':
      return { type: 'shg', id: event.data.shgId, change: -amount(event.data.amount) };
    default:
      return null;
  }
}

/** A batch's changes added up per borrower: one row to upsert per borrower. */
export function netDeltas(events: readonly ConsumedEvent[]): SavingsDelta[] {
  const byBorrower = new Map<string, SavingsDelta>();
  for (const { envelope } of events) {
    const delta = savingsDelta(envelope as unknown as GroupsEvent);
    if (!delta) continue;
    const key = `${delta.type}:${delta.id}`;
    const seen = byBorrower.get(key);
    byBorrower.set(key, seen ? { ...seen, change: seen.change + delta.change } : delta);
  }
  return [...byBorrower.values()];
}
