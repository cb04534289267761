import { Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import type { CreditBorrower, CreditBorrowerType, GroupsEvent } from '@sangam/contracts';
import { managerFor } from '@sangam/event-store';
import { Topics, type ConsumedEvent } from '@sangam/messaging';
import { ConsumerHost } from '@sangam/platform';
import { assertPaise } from '@sangam/money';

type Delta = { type: CreditBorrowerType; id: string; change: bigint };

/**
 * Drawing power as groups' events tell it: a network's common fund (fees paid + contributions,
 * from the network streams), an SHG's free savings (deposits - withdrawals - pooled, from the SHG
 * streams). A row exists once the borrower is known, even at zero.
 */
export function savingsDelta(event: GroupsEvent): Delta | null {
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

function netDeltas(events: ConsumedEvent[]): Delta[] {
  const byBorrower = new Map<string, Delta>();
  for (const { envelope } of events) {
    const delta = savingsDelta(envelope as unknown as GroupsEvent);
    if (!delta) continue;
    const key = `${delta.type}:${delta.id}`;
    const seen = byBorrower.get(key);
    byBorrower.set(key, seen ? { ...seen, change: seen.change + delta.change } : delta);
  }
  return [...byBorrower.values()];
}

@Injectable()
export class BorrowerSavingsProjection {
  constructor(consumers: ConsumerHost) {
    consumers.register({ name: 'borrower-savings', topics: [Topics.groups], handle: (events, manager) => this.apply(events, manager) });
  }

  private async apply(events: ConsumedEvent[], manager: EntityManager): Promise<void> {
    const deltas = netDeltas(events);
    if (deltas.length === 0) return;
    await manager.query(
      `INSERT INTO borrower_savings (borrower_type, borrower_id, savings)
       SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[])
       ON CONFLICT (borrower_type, borrower_id) DO UPDATE SET savings = borrower_savings.savings + EXCLUDED.savings`,
      [deltas.map((d) => d.type), deltas.map((d) => d.id), deltas.map((d) => d.change.toString())],
    );
  }
}

/** The borrower's savings as bank-linkage knows them, or null when groups never told of the borrower. */
export async function borrowerSavings(dataSource: DataSource, borrower: CreditBorrower): Promise<bigint | null> {
  const [row]: { savings: string }[] = await managerFor(dataSource).query(
    `SELECT savings FROM borrower_savings WHERE borrower_type = $1 AND borrower_id = $2`,
    [borrower.type, borrower.id],
  );
  return row ? BigInt(row.savings) : null;
}
