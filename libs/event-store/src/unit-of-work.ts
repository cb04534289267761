import type { DataSource, EntityManager, QueryRunner } from 'typeorm';

/** Statements that take no parameters and answer nothing a caller reads: the transaction's opening can travel with them. */
const OPENS_WITH_BEGIN = /^(SAVEPOINT|SET) /;

/**
 * Opening a transaction is a round trip of its own, and each one on a busy service waits for the
 * event loop. The runner's START TRANSACTION is held back and sent with the first statement when
 * that is a savepoint or a SET (a command's savepoint, an idempotency key's lock timeout), in one
 * round trip; otherwise just before it. A transaction that ran no statement sends nothing at all.
 */
function openWithFirstStatement(runner: QueryRunner): void {
  const query = runner.query.bind(runner) as (sql: string, parameters?: unknown[], structured?: boolean) => Promise<unknown>;
  let held: string | null = null;
  runner.query = ((sql: string, parameters?: unknown[], structured?: boolean) => {
    if (sql === 'START TRANSACTION' && !parameters?.length) {
      held = sql;
      return Promise.resolve(undefined);
    }
    const begin = held;
    held = null;
    if (begin === null) return query(sql, parameters, structured);
    if (/^(COMMIT|ROLLBACK)$/.test(sql)) return Promise.resolve(undefined);
    if (!parameters?.length && OPENS_WITH_BEGIN.test(sql)) return query(`${begin}; ${sql}`, parameters, structured);
    return query(begin).then(() => query(sql, parameters, structured));
  }) as QueryRunner['query'];
}

/**
 * An effect of work already committed must not make that work look failed: its caller would write
 * it again (a batch of deposits written again one by one, a request retried without a key). The
 * effects only nudge workers that also poll, so a failed one delays, and is told as a warning.
 */
export function runCommitted(effect: () => void): void {
  try {
    effect();
  } catch (error) {
    process.emitWarning(`an effect after a commit failed: ${error instanceof Error ? error.message : String(error)}`, {
      code: 'SANGAM_AFTER_COMMIT',
    });
  }
}

/**
 * One database transaction, handed explicitly to everything that must commit in it: the request's
 * (opened for every command route by the platform's request interceptor, with or without an
 * Idempotency-Key), a worker's, or a consumer's (committed with its checkpoint).
 */
export class UnitOfWork {
  private readonly effects: (() => void)[] = [];
  /** How many savepoints are open around the running work; each depth has its own savepoint name. */
  private depth = 0;
  /** Depths whose last savepoint succeeded and is not yet released (see `savepoint`). */
  private readonly unreleased = new Set<number>();

  private constructor(
    readonly manager: EntityManager,
    /** False for a transaction another component commits: its effects cannot wait for that commit. */
    private readonly runsEffects: boolean,
  ) {}

  /** Runs `work` in a new transaction, then the effects it registered once that has committed. */
  static async run<T>(dataSource: DataSource, work: (unit: UnitOfWork) => Promise<T>): Promise<T> {
    let unit: UnitOfWork | undefined;
    const runner = dataSource.createQueryRunner();
    openWithFirstStatement(runner);
    try {
      const result = await runner.manager.transaction((manager) => work((unit = new UnitOfWork(manager, true))));
      for (const effect of unit?.effects ?? []) runCommitted(effect);
      return result;
    } finally {
      await runner.release();
    }
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
   *
   * A savepoint that succeeded is not released at once: a command's stream row is locked until
   * the commit, and a RELEASE would be one more round trip under that lock. The commit releases it,
   * or the next savepoint at the same depth does in the round trip that opens its own; rolling back
   * to an enclosing savepoint undoes it with the rest. Each depth names its savepoint, so a rollback
   * always reaches its own.
   */
  async savepoint<T>(work: () => Promise<T>): Promise<T> {
    const depth = ++this.depth;
    const name = `attempt_${depth}`;
    const mark = this.effects.length;
    try {
      await this.manager.query(this.unreleased.delete(depth) ? `RELEASE SAVEPOINT ${name}; SAVEPOINT ${name}` : `SAVEPOINT ${name}`);
      try {
        const result = await work();
        this.unreleased.add(depth);
        return result;
      } catch (error) {
        await this.manager.query(`ROLLBACK TO SAVEPOINT ${name}; RELEASE SAVEPOINT ${name}`);
        this.effects.splice(mark);
        throw error;
      }
    } finally {
      this.depth--;
      // Savepoints opened inside this one are released or undone with it.
      for (const inner of this.unreleased) if (inner > depth) this.unreleased.delete(inner);
    }
  }
}
