import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { DomainError } from '@sangam/domain';
import { businessDatesToday } from '@sangam/platform';

/**
 * The `:year` of a fee route: exactly four digits (`1e3`, `0x7d5`, `02005` are not years) within
 * the years facts may be dated in, BUSINESS_DATE_MIN's year to the year of the latest date allowed.
 */
export function parseFeeYear(value: unknown): number {
  const { from, to } = businessDatesToday().occurred;
  const [first, last] = [Number(from.slice(0, 4)), Number(to.slice(0, 4))];
  const year = typeof value === 'string' && /^\d{4}$/.test(value) ? Number(value) : NaN;
  if (!(year >= first && year <= last)) {
    throw new DomainError('validation_failed', 'The request is invalid', 'validation', [
      { field: 'year', message: `year must be a four-digit year from ${first} to ${last}` },
    ]);
  }
  return year;
}

/**
 * The fee year, read from the raw path: a `@Param('year') year: number` would first pass through
 * the global ValidationPipe, whose `Number(...)` reads `0x7d5` and `02005` as 2005.
 */
export const FeeYear = createParamDecorator((_: unknown, context: ExecutionContext): number =>
  parseFeeYear(context.switchToHttp().getRequest<Request>().params.year),
);
