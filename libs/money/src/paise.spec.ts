import fc from 'fast-check';
import { assertPaise, fitsExactly, formatRupees, MAX_EXACT_PAISE, toSafePaise } from './paise';

describe('assertPaise', () => {
  it('accepts safe integers, including negatives and zero', () => {
    for (const value of [0, 1, -1, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER]) {
      expect(() => assertPaise(value, 'amount')).not.toThrow();
    }
  });

  it.each([1.5, NaN, Infinity, Number.MAX_SAFE_INTEGER + 1, '100', 100n, null])(
    'rejects %p with a RangeError naming the field',
    (value) => {
      expect(() => assertPaise(value, 'amount')).toThrow(RangeError);
      expect(() => assertPaise(value, 'amount')).toThrow(/amount/);
    },
  );
});

describe('fitsExactly', () => {
  it('takes amounts from -(2^53 - 1) to 2^53 - 1 paise, and none beyond', () => {
    expect(MAX_EXACT_PAISE).toBe(9_007_199_254_740_991n);
    expect(fitsExactly(MAX_EXACT_PAISE, -MAX_EXACT_PAISE, 0n)).toBe(true);
    expect(fitsExactly(MAX_EXACT_PAISE + 1n)).toBe(false);
    expect(fitsExactly(-MAX_EXACT_PAISE - 1n)).toBe(false);
  });

  it('takes several amounts only if every one of them fits', () => {
    expect(fitsExactly(1n, MAX_EXACT_PAISE + 1n)).toBe(false);
    expect(fitsExactly(-MAX_EXACT_PAISE - 1n, 1n)).toBe(false);
  });
});

describe('toSafePaise', () => {
  it('converts bigints within the safe range', () => {
    expect(toSafePaise(-250n)).toBe(-250);
    expect(toSafePaise(BigInt(Number.MAX_SAFE_INTEGER))).toBe(Number.MAX_SAFE_INTEGER);
    expect(toSafePaise(BigInt(Number.MIN_SAFE_INTEGER))).toBe(Number.MIN_SAFE_INTEGER);
  });

  it('throws just outside the safe range', () => {
    expect(() => toSafePaise(BigInt(Number.MAX_SAFE_INTEGER) + 1n)).toThrow(RangeError);
    expect(() => toSafePaise(BigInt(Number.MIN_SAFE_INTEGER) - 1n)).toThrow(RangeError);
  });

  it('round-trips bigint sums of safe totals', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -1e12, max: 1e12 })), (values) => {
        expect(toSafePaise(values.reduce((total, v) => total + BigInt(v), 0n))).toBe(values.reduce((a, b) => a + b, 0));
      }),
    );
  });
});

describe('formatRupees', () => {
  it.each<[number | bigint, string]>([
    [0, 'Rs 0.00'],
    [5, 'Rs 0.05'],
    [100, 'Rs 1.00'],
    [99999, 'Rs 999.99'],
    [100000, 'Rs 1,000.00'],
    [5000000, 'Rs 50,000.00'],
    [10000000, 'Rs 1,00,000.00'],
    [123456789, 'Rs 12,34,567.89'],
    [1000000000, 'Rs 1,00,00,000.00'],
    [-150, '-Rs 1.50'],
    [-123456789, '-Rs 12,34,567.89'],
    [-0, 'Rs 0.00'],
    [10n ** 17n + 1n, 'Rs 1,00,00,00,00,00,00,000.01'],
  ])('formats %p as %p', (paise, expected) => {
    expect(formatRupees(paise)).toBe(expected);
  });

  it('groups digits the same way as Intl en-IN for any amount', () => {
    const enIN = new Intl.NumberFormat('en-IN');
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 25n), max: 10n ** 25n }), (paise) => {
        const magnitude = paise < 0n ? -paise : paise;
        const cents = String(magnitude % 100n).padStart(2, '0');
        const expected = `${paise < 0n ? '-' : ''}Rs ${enIN.format(magnitude / 100n)}.${cents}`;
        expect(formatRupees(paise)).toBe(expected);
      }),
    );
  });

  it('rejects a fractional number of paise', () => {
    expect(() => formatRupees(10.5)).toThrow(RangeError);
  });

  it('rejects a number of paise past the safe integers, which is no longer exact, but formats a bigint of any size', () => {
    expect(() => formatRupees(2 ** 60)).toThrow(RangeError);
    expect(formatRupees(2n ** 60n)).toBe('Rs 11,52,92,15,04,60,68,469.76');
  });
});
