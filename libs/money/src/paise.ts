/** An amount of money in paise (INR minor units). Always a safe integer. */
export type Paise = number;

/** The contract's accepted range for an amount unless a field says otherwise: 1 ..= 1e12 paise. */
export const MAX_PAISE = 1_000_000_000_000;

/** The largest amount a JSON number carries exactly (2^53 - 1 paise): no balance or sum may pass it. */
export const MAX_EXACT_PAISE = BigInt(Number.MAX_SAFE_INTEGER);

/** Whether every amount given stays within what the API can state exactly. */
export const fitsExactly = (...amounts: bigint[]): boolean =>
  amounts.every((amount) => amount <= MAX_EXACT_PAISE && amount >= -MAX_EXACT_PAISE);

export function assertPaise(value: unknown, field: string): asserts value is Paise {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new RangeError(`${field} must be a safe integer number of paise, got ${String(value)}`);
  }
}

export function toSafePaise(value: bigint): Paise {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new RangeError(`${value} paise is outside the safe integer range`);
  }
  return Number(value);
}

/** Formats with Indian digit grouping: 123456789 -> "Rs 12,34,567.89", -150 -> "-Rs 1.50". */
export function formatRupees(paise: number | bigint): string {
  if (typeof paise === 'number') assertPaise(paise, 'paise');
  const amount = BigInt(paise);
  const negative = amount < 0n;
  const magnitude = negative ? -amount : amount;
  const rupees = (magnitude / 100n).toString();
  const fraction = (magnitude % 100n).toString().padStart(2, '0');
  return `${negative ? '-' : ''}Rs ${groupIndian(rupees)}.${fraction}`;
}

// Last three digits form one group; every group before that has two (lakh, crore, ...).
function groupIndian(digits: string): string {
  if (digits.length <= 3) return digits;
  const head = digits.slice(0, -3);
  const tail = digits.slice(-3);
  const pairs = head.replace(/\B(?=(\d{2})+$)/g, ',');
  return `${pairs},${tail}`;
}
