import type { EntityManager } from 'typeorm';

/** Runs `work` so that its failure undoes only its own writes and leaves the surrounding transaction usable. */
export async function withSavepoint<T>(manager: EntityManager, work: () => Promise<T>): Promise<T> {
  await manager.query('SAVEPOINT attempt');
  try {
    const result = await work();
    await manager.query('RELEASE SAVEPOINT attempt');
    return result;
  } catch (error) {
    await manager.query('ROLLBACK TO SAVEPOINT attempt');
    throw error;
  }
}
