import { GroupCommit, KeyedGroupCommit } from './group-commit';

/** A write the test finishes by hand, recording each batch it was given. */
function controlledWrite() {
  const batches: number[][] = [];
  const pending: { finish: () => void; fail: (error: unknown) => void }[] = [];
  const write = (items: number[]) =>
    new Promise<string[]>((resolve, reject) => {
      batches.push(items);
      pending.push({ finish: () => resolve(items.map((item) => `stored ${item}`)), fail: reject });
    });
  return { write, batches, pending };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('group commit', () => {
  it('writes a lone item at once, without waiting for a batch to fill', async () => {
    const { write, batches, pending } = controlledWrite();
    const commits = new GroupCommit(write);
    const stored = commits.submit(1);
    expect(batches).toEqual([[1]]);
    pending[0].finish();
    await expect(stored).resolves.toBe('stored 1');
  });

  it('writes the items submitted during a write together in the next batch, each answered with its own result', async () => {
    const { write, batches, pending } = controlledWrite();
    const commits = new GroupCommit(write);
    const first = commits.submit(1);
    const later = [commits.submit(2), commits.submit(3), commits.submit(4)];
    expect(batches).toEqual([[1]]);
    pending[0].finish();
    await first;
    await settle();
    expect(batches).toEqual([[1], [2, 3, 4]]);
    pending[1].finish();
    await expect(Promise.all(later)).resolves.toEqual(['stored 2', 'stored 3', 'stored 4']);
  });

  it('puts at most maxBatch items in one batch', async () => {
    const { write, batches, pending } = controlledWrite();
    const commits = new GroupCommit(write, { maxBatch: 2 });
    const all = [1, 2, 3, 4].map((item) => commits.submit(item));
    for (let batch = 0; batch < 3; batch++) {
      pending[batch].finish();
      await settle();
    }
    await Promise.all(all);
    expect(batches).toEqual([[1], [2, 3], [4]]);
  });

  it('writes each item of a failed batch again on its own, so that only the bad one fails', async () => {
    const refused = new Error('item 3 breaks a constraint');
    const batches: number[][] = [];
    const commits = new GroupCommit(async (items: number[]) => {
      batches.push(items);
      if (items.includes(3)) throw refused;
      return items.map((item) => `stored ${item}`);
    });
    const [, ...together] = [commits.submit(1), commits.submit(2), commits.submit(3), commits.submit(4)];
    const outcomes = await Promise.allSettled(together);
    expect(outcomes).toEqual([
      { status: 'fulfilled', value: 'stored 2' },
      { status: 'rejected', reason: refused },
      { status: 'fulfilled', value: 'stored 4' },
    ]);
    expect(batches).toEqual([[1], [2, 3, 4], [2], [3], [4]]);
  });

  it('fails the whole batch at once when the database is away: writing each alone could not help', async () => {
    const away = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const batches: number[][] = [];
    const commits = new GroupCommit(async (items: number[]) => {
      batches.push(items);
      await settle();
      throw away;
    });
    const outcomes = await Promise.allSettled([commits.submit(1), commits.submit(2), commits.submit(3)]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(batches).toEqual([[1], [2, 3]]);
  });

  it('keeps an item that may not join the batch first in line for the next one', async () => {
    const { write, batches, pending } = controlledWrite();
    // Odd and even items may not share a batch with another of their parity (two requests with one key).
    const commits = new GroupCommit(write, { canJoin: (item, batch) => !batch.some((other) => other % 2 === item % 2) });
    const all = [1, 2, 3, 4, 5].map((item) => commits.submit(item));
    for (let batch = 0; batch < 3; batch++) {
      pending[batch].finish();
      await settle();
    }
    await expect(Promise.all(all)).resolves.toHaveLength(5);
    expect(batches).toEqual([[1], [2, 3], [4, 5]]);
  });
});

describe('group commit per key', () => {
  it("batches each key's items together, and never makes one key wait for another's write", async () => {
    const batches: [string, number[]][] = [];
    const pending = new Map<string, () => void>();
    const commits = new KeyedGroupCommit(
      (key: string, items: number[]) =>
        new Promise<string[]>((resolve) => {
          batches.push([key, items]);
          pending.set(key, () => resolve(items.map((item) => `${key} ${item}`)));
        }),
    );
    const a1 = commits.submit('a', 1);
    const b1 = commits.submit('b', 1);
    const later = [commits.submit('a', 2), commits.submit('a', 3), commits.submit('b', 2)];
    expect(batches).toEqual([
      ['a', [1]],
      ['b', [1]],
    ]);
    pending.get('b')!();
    await expect(b1).resolves.toBe('b 1');
    await settle();
    expect(batches).toContainEqual(['b', [2]]);
    pending.get('b')!();
    pending.get('a')!();
    await a1;
    await settle();
    expect(batches).toContainEqual(['a', [2, 3]]);
    pending.get('a')!();
    await expect(Promise.all(later)).resolves.toEqual(['a 2', 'a 3', 'b 2']);
  });
});
