import { DeferredPassOvers, type PassOver } from './deferred-pass-overs';

const batch = (from: number, to: number, ids = [`e${from}`]): PassOver => ({
  topic: 't',
  partition: 0,
  from: String(from),
  to: String(to),
  eventIds: ids,
});

/** A stored checkpoint as the conditional write sees it, and every write asked of it. */
function storedCheckpoint(at: number) {
  const written: PassOver[] = [];
  const checkpoint = { at: String(at) };
  const write = async (passOver: PassOver) => {
    written.push(passOver);
    if (checkpoint.at !== passOver.from) return false;
    checkpoint.at = passOver.to;
    return true;
  };
  return { written, checkpoint, write };
}

describe('deferred pass-overs', () => {
  it('keeps the batches that follow a checkpoint it knows, and writes them as one move', async () => {
    const { written, checkpoint, write } = storedCheckpoint(10);
    const passOvers = new DeferredPassOvers(write, 60_000);
    passOvers.stored('t', 0, '10');
    expect([passOvers.keep(batch(10, 15)), passOvers.keep(batch(15, 20)), passOvers.keep(batch(20, 32))]).toEqual([true, true, true]);
    expect(written).toEqual([]);
    expect(passOvers.keeps('t', 0)).toBe(true);
    await passOvers.writeAll();
    expect(passOvers.keeps('t', 0)).toBe(false);
    expect(written).toEqual([{ ...batch(10, 32), eventIds: ['e10', 'e15', 'e20'] }]);
    expect(checkpoint.at).toBe('32');
    // Written: the next batch follows from where it ended.
    expect(passOvers.keep(batch(32, 40))).toBe(true);
  });

  it('keeps nothing where it does not know the checkpoint to be at the batch, or the batch does not follow what it keeps', () => {
    const passOvers = new DeferredPassOvers(storedCheckpoint(0).write, 60_000);
    expect(passOvers.keep(batch(0, 5))).toBe(false);
    passOvers.stored('t', 0, '5');
    expect(passOvers.keep(batch(6, 9))).toBe(false);
    expect(passOvers.keep(batch(5, 9))).toBe(true);
    expect(passOvers.keep(batch(10, 12))).toBe(false);
    expect(passOvers.keep({ ...batch(9, 12), partition: 1 })).toBe(false);
  });

  it('drops a move the checkpoint is no longer there for (another instance moved it), and stops keeping until it knows again', async () => {
    const { written, checkpoint, write } = storedCheckpoint(10);
    const passOvers = new DeferredPassOvers(write, 60_000);
    passOvers.stored('t', 0, '10');
    passOvers.keep(batch(10, 20));
    checkpoint.at = '25';
    await passOvers.settle('t', 0);
    expect(written).toHaveLength(1);
    expect(checkpoint.at).toBe('25');
    expect(passOvers.keep(batch(20, 30))).toBe(false);
    passOvers.stored('t', 0, '25');
    expect(passOvers.keep(batch(25, 30))).toBe(true);
  });

  it('keeps a move whose write failed (the database away), and writes it again with what was kept since', async () => {
    const { written, checkpoint, write } = storedCheckpoint(0);
    let away = true;
    const passOvers = new DeferredPassOvers((passOver) => (away ? Promise.reject(new Error('database away')) : write(passOver)), 60_000);
    passOvers.stored('t', 0, '0');
    passOvers.keep(batch(0, 5));
    await expect(passOvers.writeAll()).rejects.toThrow('database away');
    // A batch to apply must not read the checkpoint while it lags: it fails, and is tried again.
    await expect(passOvers.settle('t', 0)).rejects.toThrow('database away');
    expect(passOvers.keep(batch(5, 9))).toBe(true);
    away = false;
    await passOvers.settle('t', 0);
    expect(written).toEqual([{ ...batch(0, 9), eventIds: ['e0', 'e5'] }]);
    expect(checkpoint.at).toBe('9');
  });

  it('writes at once, not kept, a batch whose ids would make what is kept too large', () => {
    const passOvers = new DeferredPassOvers(storedCheckpoint(0).write, 60_000);
    passOvers.stored('t', 0, '0');
    const ids = (n: number) => Array.from({ length: n }, (_, i) => `e${i}`);
    expect(passOvers.keep(batch(0, 4_000, ids(4_000)))).toBe(true);
    expect(passOvers.keep(batch(4_000, 6_000, ids(2_000)))).toBe(false);
  });

  it('waits, before a partition is read, for a write of it under way', async () => {
    let release: (moved: boolean) => void = () => undefined;
    const passOvers = new DeferredPassOvers(() => new Promise<boolean>((resolve) => (release = resolve)), 60_000);
    passOvers.stored('t', 0, '0');
    passOvers.keep(batch(0, 5));
    const timerWrite = passOvers.writeAll();
    let settled = false;
    const reading = passOvers.settle('t', 0).then(() => (settled = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toBe(false);
    release(true);
    await Promise.all([timerWrite, reading]);
    expect(settled).toBe(true);
  });

  it('writes what it keeps when stopped', async () => {
    const { written, write } = storedCheckpoint(0);
    const passOvers = new DeferredPassOvers(write, 60_000);
    passOvers.start();
    passOvers.stored('t', 0, '0');
    passOvers.keep(batch(0, 7));
    await passOvers.stop();
    expect(written.map((p) => p.to)).toEqual(['7']);
  });
});
