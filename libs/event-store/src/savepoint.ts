import type { EntityManager } from 'typeorm';
import { afterCommitMark } from './request-transaction';

/**
 * Runs `work` so that its failure undoes only its own writes, and the after-commit effects it
 * registered, and leaves the surrounding transaction usable.
 */
export async function withSavepoint<T>(manager: EntityManager, work: () => Promise<T>): Promise<T> {
  const forgetEffects = afterCommitMark();
  await manager.query('SAVEPOINT attempt');
  try {
    const result = await work();
    await manager.query('RELEASE SAVEPOINT attempt');
    return result;
  } catch (error) {
    await manager.query('ROLLBACK TO SAVEPOINT attempt');
    forgetEffects();
    throw error;
  }
}
