import { Logger } from '@nestjs/common';
import { amountTooLarge } from '@sangam/domain';
import { fitsExactly } from '@sangam/money';

const logger = new Logger('reporting');

/**
 * Postgres answers bigint and numeric sums as strings; JSON carries paise as numbers, exactly up
 * to 2^53 - 1. The services that own the money refuse any write that would take one of their
 * balances past it, but a read model adds up many owners' facts (a network's loans over the
 * years): a figure past it is answered `422 amount_too_large`, naming no number it cannot state,
 * and logged as an error for operators, never rounded and never a bare 500.
 */
export const paise = (value: string | number | bigint | null): number => {
  const amount = BigInt(value ?? 0);
  if (fitsExactly(amount)) return Number(amount);
  logger.error({ msg: 'a read-model figure passes 2^53 - 1 paise, the largest amount JSON carries exactly', paise: amount.toString() });
  throw amountTooLarge('A figure of this read');
};
