import { Logger } from '@nestjs/common';
import { amountTooLarge } from '@sangam/domain';
import { fitsExactly } from '@sangam/money';

const logger = new Logger('paise');

/**
 * A sum a read answers, as a JSON number: exact up to 2^53 - 1 paise. Owners refuse writes that
 * would take their own balances past it; a figure that adds up many facts over the years (a
 * network's turnover) can still get there, and is then answered `422 amount_too_large`, naming
 * the limit rather than a rounded figure, and logged with the figure for operators: never a bare
 * 500, never a rounded number.
 */
export function statedPaise(value: string | number | bigint | null | undefined): number {
  const amount = BigInt(value ?? 0);
  if (fitsExactly(amount)) return Number(amount);
  logger.error({ msg: 'a figure passes 2^53 - 1 paise, the largest amount JSON carries exactly', paise: amount.toString() });
  throw amountTooLarge('A figure of this read');
}
