import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { CreditBorrower, GroupsEvent } from '@sangam/contracts';
import { queryPrepared, Topics, type ConsumedEvent } from '@sangam/messaging';
import { ConsumerHost } from '@sangam/platform';
import { netDeltas, savingsDelta } from './savings-deltas';

@Injectable()
export class BorrowerSavingsProjection {
  constructor(consumers: ConsumerHost) {
    consumers.register({
      name: 'borrower-savings',
      topics: [Topics.groups],
      appliesTo: (envelope) => savingsDelta(envelope as unknown as GroupsEvent) !== null,
      handle: (events, manager) => this.apply(events, manager),
    });
  }

  private async apply(events: ConsumedEvent[], manager: EntityManager): Promise<void> {
    const deltas = netDeltas(events);
    if (deltas.length === 0) return;
    await queryPrepared(
      manager,
      `INSERT INTO borrower_savings (borrower_type, borrower_id, savings)
       SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[])
       ON CONFLICT (borrower_type, borrower_id) DO UPDATE SET savings = borrower_savings.savings + EXCLUDED.savings`,
      [deltas.map((d) => d.type), deltas.map((d) => d.id), deltas.map((d) => d.change.toString())],
    );
  }
}

/** The borrower's savings as bank-linkage knows them, or null when groups never told of the borrower. */
export async function borrowerSavings(manager: EntityManager, borrower: CreditBorrower): Promise<bigint | null> {
  const [row]: { savings: string }[] = await manager.query(
    `SELECT savings FROM borrower_savings WHERE borrower_type = $1 AND borrower_id = $2`,
    [borrower.type, borrower.id],
  );
  return row ? BigInt(row.savings) : null;
}
