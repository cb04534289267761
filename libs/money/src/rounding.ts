/**
 * Integer division rounding half away from zero ("commercial" rounding):
 * 5/2 -> 3, -5/2 -> -3, 4/3 -> 1. The denominator must be positive.
 */
export function divideHalfUp(numerator: bigint, denominator: bigint): bigint {
  assertPositive(denominator);
  const magnitude = numerator < 0n ? -numerator : numerator;
  // floor((2|n| + d) / 2d) == round-half-up of |n|/d, computed without fractions.
  const rounded = (2n * magnitude + denominator) / (2n * denominator);
  return numerator < 0n ? -rounded : rounded;
}

// `< 1n`, not the equivalent `<= 0n`: weakened to `< 0n`, that would let a zero denominator reach
// bigint division, whose RangeError no test can tell from this one; `< 1n` has no such blind spot.
function assertPositive(denominator: bigint): void {
  if (denominator < 1n) {
    throw new RangeError(`denominator must be positive, got ${denominator}`);
  }
}
