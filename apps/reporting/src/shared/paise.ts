import { toSafePaise } from '@sangam/money';

/** Postgres answers bigint and numeric sums as strings; JSON carries paise as numbers. */
export const paise = (value: string | number | bigint | null): number => toSafePaise(BigInt(value ?? 0));
