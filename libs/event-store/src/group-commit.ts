import { isTransient } from '@sangam/messaging';

interface Waiting<I, O> {
  item: I;
  resolve: (result: O) => void;
  reject: (error: unknown) => void;
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
    private readonly maxBatch = 100,
  ) {}

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      this.next();
    });
  }

  private next(): void {
    if (this.writing || this.waiting.length === 0) return;
    this.writing = true;
    const batch = this.waiting.splice(0, this.maxBatch);
    void this.writeBatch(batch).finally(() => {
      this.writing = false;
      this.next();
    });
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
