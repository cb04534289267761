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
export function allocateInOrder(
  amount: Paise,
  buckets: readonly Paise[],
): { taken: Paise[]; rest: Paise } {
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

/**
 * Splits in proportion to integer weights by the largest-remainder method: everyone gets
 * the floor of their exact share, and the leftover paise go one each to the largest
 * fractional remainders (earlier index first on ties). Parts sum exactly to `total`.
 */
export function splitProportionally(total: Paise, weights: readonly number[]): Paise[] {
  assertNonNegativePaise(total, 'total');
  weights.forEach((weight, i) => {
    if (!Number.isSafeInteger(weight) || weight < 0) {
      throw new RangeError(`weights[${i}] must be a non-negative integer, got ${weight}`);
    }
  });
  const weightSum = weights.reduce((sum, weight) => sum + BigInt(weight), 0n);
  if (weightSum === 0n) {
    throw new RangeError('weights must contain at least one positive weight');
  }

  // total * weight can exceed 2^53, so the exact shares are computed in bigint.
  const exact = weights.map((weight) => BigInt(total) * BigInt(weight));
  const parts = exact.map((product) => Number(product / weightSum));
  const remainders = exact.map((product) => product % weightSum);

  let leftover = total - parts.reduce((sum, part) => sum + part, 0);
  const byRemainder = remainders
    .map((remainder, index) => ({ remainder, index }))
    .sort((a, b) => (a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1));
  for (const { index } of byRemainder) {
    if (leftover === 0) break;
    parts[index] += 1;
    leftover -= 1;
  }
  return parts;
}

function assertNonNegativePaise(value: unknown, field: string): asserts value is Paise {
  assertPaise(value, field);
  if (value < 0) throw new RangeError(`${field} must not be negative, got ${value}`);
}
