import { assertPaise, type Paise } from './paise';

/**
 * Splits into `parts` equal shares of floor(total / parts), the remainder going to the
 * last share (the loan contract's schedule rule for principal per installment).
 */
export function splitEvenly(total: Paise, parts: number): Paise[] {
  assertNonNegativePaise(total, 'total');
  if (!Number.isSafeInteger(parts) || parts < 1) {
    throw new RangeError(`parts must be a positive integer, got ${parts}`);
  }
  const remainder = total % parts;
  const share = (total - remainder) / parts;
  const shares = new Array<Paise>(parts).fill(share);
  shares[parts - 1] = share + remainder;
  return shares;
}

/** Fills each bucket up to its size, in order, and returns what did not fit. */
export function allocateInOrder(amount: Paise, buckets: readonly Paise[]): { taken: Paise[]; rest: Paise } {
  assertNonNegativePaise(amount, 'amount');
  buckets.forEach((size, i) => assertNonNegativePaise(size, `buckets[${i}]`));
  let rest = amount;
  const taken = buckets.map((size) => {
    const take = Math.min(size, rest);
    rest -= take;
    return take;
  });
  return { taken, rest };
}

function assertNonNegativePaise(value: unknown, field: string): asserts value is Paise {
  assertPaise(value, field);
  if (value < 0) throw new RangeError(`${field} must not be negative, got ${value}`);
}
