import fc from 'fast-check';
import { divideHalfUp } from './rounding';

const abs = (x: bigint) => (x < 0n ? -x : x);
const numerators = fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n });
const denominators = fc.bigInt({ min: 1n, max: 10n ** 20n });

describe('divideHalfUp', () => {
  it.each<[bigint, bigint, bigint]>([
    [5n, 2n, 3n],
    [-5n, 2n, -3n],
    [4n, 3n, 1n],
    [-4n, 3n, -1n],
    [5n, 3n, 2n],
    [1n, 2n, 1n],
    [-1n, 2n, -1n],
    [1n, 3n, 0n],
    [0n, 7n, 0n],
    [6n, 3n, 2n],
    [-7n, 1n, -7n],
  ])('%p / %p rounds to %p', (n, d, expected) => {
    expect(divideHalfUp(n, d)).toBe(expected);
  });

  it('is the nearest integer, ties going away from zero', () => {
    fc.assert(
      fc.property(numerators, denominators, (n, d) => {
        const q = divideHalfUp(n, d);
        const twiceError = 2n * abs(n - q * d);
        expect(twiceError <= d).toBe(true);
        if (twiceError === d) expect(abs(q * d) > abs(n)).toBe(true);
      }),
    );
  });

  it('is symmetric under negation', () => {
    fc.assert(
      fc.property(numerators, denominators, (n, d) => {
        expect(divideHalfUp(-n, d)).toBe(-divideHalfUp(n, d));
      }),
    );
  });

  it.each([0n, -1n, -2n])('rejects denominator %p', (d) => {
    expect(() => divideHalfUp(5n, d)).toThrow(RangeError);
  });
});
