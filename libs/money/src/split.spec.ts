import fc from 'fast-check';
import { allocateInOrder, splitEvenly } from './split';

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);
const amounts = fc.maxSafeNat();

describe('splitEvenly', () => {
  it('gives each part floor(total / parts) and the remainder to the last part', () => {
    expect(splitEvenly(1000, 3)).toEqual([333, 333, 334]);
    expect(splitEvenly(5000000, 12)).toEqual([...Array(11).fill(416666), 416674]);
  });

  it('handles an exact split, a zero total and a single part', () => {
    expect(splitEvenly(900, 3)).toEqual([300, 300, 300]);
    expect(splitEvenly(0, 4)).toEqual([0, 0, 0, 0]);
    expect(splitEvenly(777, 1)).toEqual([777]);
  });

  it('always returns `parts` non-negative parts that add up exactly', () => {
    fc.assert(
      fc.property(amounts, fc.integer({ min: 1, max: 400 }), (total, parts) => {
        const shares = splitEvenly(total, parts);
        expect(shares).toHaveLength(parts);
        expect(sum(shares)).toBe(total);
        expect(shares.every((s) => s >= 0)).toBe(true);
        const floorShare = Number(BigInt(total) / BigInt(parts));
        expect(shares.slice(0, -1).every((s) => s === floorShare)).toBe(true);
        expect(shares[parts - 1] - floorShare).toBeLessThan(parts);
      }),
    );
  });

  it('is exact near Number.MAX_SAFE_INTEGER', () => {
    const shares = splitEvenly(Number.MAX_SAFE_INTEGER, 3);
    expect(sum(shares)).toBe(Number.MAX_SAFE_INTEGER);
    expect(BigInt(shares[0])).toBe(BigInt(Number.MAX_SAFE_INTEGER) / 3n);
  });

  it.each([0, -1, 1.5, NaN])('rejects %p parts', (parts) => {
    expect(() => splitEvenly(100, parts)).toThrow(RangeError);
  });

  it.each([-1, 0.5])('rejects a total of %p', (total) => {
    expect(() => splitEvenly(total, 2)).toThrow(RangeError);
  });
});

describe('allocateInOrder', () => {
  it('fills buckets in order and returns the rest', () => {
    expect(allocateInOrder(250, [100, 100, 100])).toEqual({ taken: [100, 100, 50], rest: 0 });
    expect(allocateInOrder(400, [100, 200])).toEqual({ taken: [100, 200], rest: 100 });
    expect(allocateInOrder(0, [100])).toEqual({ taken: [0], rest: 0 });
    expect(allocateInOrder(50, [])).toEqual({ taken: [], rest: 50 });
  });

  it('never overfills a bucket, skips to later ones only once earlier ones are full, and loses nothing', () => {
    fc.assert(
      fc.property(amounts, fc.array(fc.integer({ min: 0, max: 2 ** 50 })), (amount, buckets) => {
        const { taken, rest } = allocateInOrder(amount, buckets);
        expect(BigInt(sum(taken)) + BigInt(rest)).toBe(BigInt(amount));
        expect(rest).toBeGreaterThanOrEqual(0);
        taken.forEach((t, i) => {
          expect(t >= 0 && t <= buckets[i]).toBe(true);
          if (t > 0 && i > 0) expect(taken[i - 1]).toBe(buckets[i - 1]);
        });
        if (rest > 0) expect(taken).toEqual(buckets);
      }),
    );
  });

  it('rejects a negative amount or bucket', () => {
    expect(() => allocateInOrder(-1, [10])).toThrow(RangeError);
    expect(() => allocateInOrder(10, [5, -1])).toThrow(/buckets\[1\]/);
  });
});
