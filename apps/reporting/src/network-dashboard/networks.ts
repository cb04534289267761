import type { EntityManager } from 'typeorm';

/** A network is known once reporting has seen it formed. */
export async function findNetwork(manager: EntityManager, networkId: string): Promise<{ name: string } | null> {
  const [network]: { name: string }[] = await manager.query(`SELECT name FROM networks WHERE network_id = $1`, [networkId]);
  return network ?? null;
}
