import { statedPaise } from '@sangam/platform';

/**
 * Postgres answers bigint and numeric sums as strings; JSON carries paise as numbers, exactly up
 * to 2^53 - 1. A read model adds up many owners' facts (a network's loans over the years), which
 * no single write can be refused for: a figure past the limit is answered `422 amount_too_large`
 * and logged (see statedPaise), never rounded and never a bare 500.
 */
export const paise = (value: string | number | bigint | null): number => statedPaise(value);
