import type { DataSource, EntityManager } from 'typeorm';

/**
 * One database transaction, handed explicitly to everything that must commit in it: the request's
 * (opened for every command route by the platform's request interceptor, with or without an
 * Idempotency-Key), a worker's, or a consumer's (committed with its checkpoint).
 */
export class UnitOfWork {
  private readonly effects: (() => void)[] = [];

  private constructor(
    readonly manager: EntityManager,
    /** False for a transaction another component commits: its effects cannot wait for that commit. */
    private readonly runsEffects: boolean,
  ) {}

  /** Runs `work` in a new transaction, then the effects it registered once that has committed. */
  static async run<T>(dataSource: DataSource, work: (unit: UnitOfWork) => Promise<T>): Promise<T> {
    let unit: UnitOfWork | undefined;
    const result = await dataSource.transaction((manager) => work((unit = new UnitOfWork(manager, true))));
    for (const effect of unit?.effects ?? []) effect();
    return result;
  }

  /**
   * A transaction someone else commits (a consumer's, with its checkpoint). Its after-commit
   * effects are dropped: they only nudge workers that also poll (the outbox relay), so what it
   * writes is found on their next round.
   */
  static joining(manager: EntityManager): UnitOfWork {
    return new UnitOfWork(manager, false);
  }

  /** Runs `effect` once the transaction has committed (announcing appended events before then would be premature). */
  afterCommit(effect: () => void): void {
    if (this.runsEffects) this.effects.push(effect);
  }

  /**
   * Runs `work` so that its failure undoes only its own writes and the effects it registered, and
   * leaves the transaction usable (a retry after a lost race, a refusal recorded instead).
   */
  async savepoint<T>(work: () => Promise<T>): Promise<T> {
    const mark = this.effects.length;
    await this.manager.query('SAVEPOINT attempt');
    try {
      const result = await work();
      await this.manager.query('RELEASE SAVEPOINT attempt');
      return result;
    } catch (error) {
      await this.manager.query('ROLLBACK TO SAVEPOINT attempt');
      this.effects.splice(mark);
      throw error;
    }
  }
}
