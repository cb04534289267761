import { AsyncLocalStorage } from 'node:async_hooks';
import type { DataSource, EntityManager } from 'typeorm';

interface RequestTransaction {
  manager: EntityManager;
  /** Run once the transaction has committed (announcing appended events before then would be premature). */
  afterCommit: (() => void)[];
}

const current = new AsyncLocalStorage<RequestTransaction>();

/**
 * Runs `work` in one transaction that the event store joins: whatever `work` appends, through
 * any number of store calls (each in a savepoint of its own), commits together with whatever
 * `work` itself writes, or not at all. The Idempotency-Key interceptor runs a whole request in
 * one, so that its answer is stored in the same commit as its events. An append holds its
 * streams' rows until the request commits, so a request should append once (every command
 * route does: one store call, atomic across the streams it touches).
 */
export async function inRequestTransaction<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  const afterCommit: (() => void)[] = [];
  const result = await dataSource.transaction((manager) => current.run({ manager, afterCommit }, () => work(manager)));
  for (const run of afterCommit) run();
  return result;
}

/** Runs `effect` once the request's transaction has committed, or at once outside one (nudging a worker to read what was just written, say). */
export function afterCommit(effect: () => void): void {
  const request = current.getStore();
  if (request) request.afterCommit.push(effect);
  else effect();
}

/** The manager of the request's transaction, when one is open. */
export const requestManager = (): EntityManager | undefined => current.getStore()?.manager;

/** The request's transaction when one is open (its reads see its own writes, on the connection it already holds), else the data source's manager. */
export const managerFor = (dataSource: DataSource): EntityManager => requestManager() ?? dataSource.manager;

/** Forgets the after-commit effects registered since `mark` (what registered them was rolled back). */
export function afterCommitMark(): () => void {
  const request = current.getStore();
  const mark = request?.afterCommit.length ?? 0;
  return () => request?.afterCommit.splice(mark);
}
