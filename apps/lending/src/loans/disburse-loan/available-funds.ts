import type { EntityManager } from 'typeorm';
import type { Lender } from '../domain/loan.events';

/**
 * What a network's common fund can lend now: raised from groups (fees paid + contributions) -
 * principal lent out + principal and interest repaid. Locks the row until commit, so concurrent
 * disbursements from one fund queue up. (An SHG's savings are groups' to lend: lending asks.)
 */
export async function lockAvailableFunds(manager: EntityManager, lender: Lender): Promise<bigint> {
  const [row]: { available: string }[] = await manager.query(
    `SELECT raised - lent_out + repaid_in AS available FROM lender_funds WHERE lender_type = $1 AND lender_id = $2 FOR UPDATE`,
    [lender.type, lender.id],
  );
  return row ? BigInt(row.available) : 0n;
}
