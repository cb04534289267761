import { isTransient } from '@sangam/messaging';

interface Waiting<I, O> {
  item: I;
  resolve: (result: O) => void;
  reject: (error: unknown) => void;
}

export interface GroupCommitOptions<I> {
  maxBatch?: number;
  /** False for an item that must not share a batch with those already in it: it waits for the next batch (two requests with one key). */
  canJoin?: (item: I, batch: readonly I[]) => boolean;
  /** Called when the last batch has been written and nothing waits. */
  onIdle?: () => void;
}

/**
 * Group commit: items submitted while a batch is being written wait, and go together in the next
 * batch, so that concurrent writers share one transaction (its round trips and its WAL flush)
 * instead of queueing for a connection and a flush each. A lone item is written at once: nothing
 * waits for a batch to fill. Each submitter gets its own item's result once its batch has
 * committed.
 *
 * `write` gets the items in submission order and answers one result per item, in that order; it
 * must write all of them or none. When a batch of several fails for a reason that is not
 * transient, each of its items is written again on its own, so one bad item fails alone.
 */
export class GroupCommit<I, O> {
  private waiting: Waiting<I, O>[] = [];
  private writing = false;

  constructor(
    private readonly write: (items: I[]) => Promise<O[]>,
    private readonly options: GroupCommitOptions<I> = {},
  ) {}

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      this.next();
    });
  }

  private next(): void {
    if (this.writing) return;
    if (this.waiting.length === 0) return this.options.onIdle?.();
    this.writing = true;
    const batch = this.takeBatch();
    void this.writeBatch(batch).finally(() => {
      this.writing = false;
      this.next();
    });
  }

  /** The waiting items that go together, in submission order; the ones that may not join stay first in line. */
  private takeBatch(): Waiting<I, O>[] {
    const { maxBatch = 100, canJoin } = this.options;
    const batch: Waiting<I, O>[] = [];
    const left: Waiting<I, O>[] = [];
    for (const waiting of this.waiting) {
      const joins =
        batch.length < maxBatch &&
        (!canJoin ||
          canJoin(
            waiting.item,
            batch.map((b) => b.item),
          ));
      (joins ? batch : left).push(waiting);
    }
    this.waiting = left;
    return batch;
  }

  private async writeBatch(batch: Waiting<I, O>[]): Promise<void> {
    try {
      const results = await this.write(batch.map((waiting) => waiting.item));
      batch.forEach((waiting, i) => waiting.resolve(results[i]));
    } catch (error) {
      if (batch.length === 1 || isTransient(error)) {
        for (const waiting of batch) waiting.reject(error);
        return;
      }
      await Promise.all(batch.map((waiting) => this.write([waiting.item]).then(([result]) => waiting.resolve(result), waiting.reject)));
    }
  }
}

/**
 * A GroupCommit per key (a stream): items of one key are written together, and a key's batch never
 * waits for another key's. A key's queue is forgotten once it has nothing left to write.
 */
export class KeyedGroupCommit<I, O> {
  private readonly queues = new Map<string, GroupCommit<I, O>>();

  constructor(
    private readonly write: (key: string, items: I[]) => Promise<O[]>,
    private readonly options: Omit<GroupCommitOptions<I>, 'onIdle'> = {},
  ) {}

  submit(key: string, item: I): Promise<O> {
    let queue = this.queues.get(key);
    if (!queue) {
      queue = new GroupCommit((items) => this.write(key, items), { ...this.options, onIdle: () => this.queues.delete(key) });
      this.queues.set(key, queue);
    }
    return queue.submit(item);
  }
}
