import type { EntityManager } from 'typeorm';
import type { Borrower, Lender } from '../../loans/domain/loan.events';

export interface LendingRelation {
  borrowerBelongsToLender: boolean;
  /** The lending network, or the lending SHG's network. */
  networkId: string | null;
}

/** Whether the borrower is the lender's to lend to, as lending knows membership from groups' events. */
export async function lendingRelation(manager: EntityManager, lender: Lender, borrower: Borrower): Promise<LendingRelation> {
  if (lender.type === 'network') {
    const rows: unknown[] =
      borrower.type === 'shg'
        ? await manager.query(`SELECT 1 FROM network_memberships WHERE network_id = $1 AND shg_id = $2 AND is_member`, [
            lender.id,
            borrower.id,
          ])
        : [];
    return { borrowerBelongsToLender: rows.length > 0, networkId: lender.id };
  }
  const [member]: { shg_id: string }[] =
    borrower.type === 'member' ? await manager.query(`SELECT shg_id FROM shg_members WHERE member_id = $1`, [borrower.id]) : [];
  const [network]: { network_id: string }[] = await manager.query(
    `SELECT network_id FROM network_memberships WHERE shg_id = $1 AND is_member ORDER BY network_id LIMIT 1`,
    [lender.id],
  );
  return { borrowerBelongsToLender: member?.shg_id === lender.id, networkId: network?.network_id ?? null };
}
