import { applyDecorators, ValidationPipe, type ValidationError } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import {
  IsInt,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  registerDecorator,
  ValidateBy,
  type ValidationOptions,
} from 'class-validator';
import {
  businessDateRanges,
  DEFAULT_BUSINESS_DATE_LIMITS,
  DomainError,
  isDateWithin,
  type BusinessDateKind,
  type BusinessDateLimits,
  type BusinessDateRanges,
  type ErrorDetail,
} from '@sangam/domain';
import { MAX_PAISE } from '@sangam/money';

export const MAX_TEXT_LENGTH = 200;

function flatten(errors: ValidationError[], parent = ''): ErrorDetail[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({
      field,
      message: message.replace(/^property (\S+) should not exist$/, 'unknown field $1'),
    }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/** Whitelisted DTOs, unknown fields rejected, no implicit string-to-number conversion of money. */
export const createValidationPipe = () =>
  new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    exceptionFactory: (errors) => new DomainError('validation_failed', 'The request is invalid', 'validation', flatten(errors)),
  });

/** An amount in integer paise within the contract's range (1 ..= 1e12 unless the field says otherwise). */
export const IsPaise = (min = 1, max = MAX_PAISE) =>
  applyDecorators(
    IsInt({ message: '$property must be an integer number of paise' }),
    Min(min),
    Max(max),
    ApiProperty({ type: 'integer', minimum: min, maximum: max, description: 'Amount in paise (Rs 1 = 100)' }),
  );

let businessDateLimits: BusinessDateLimits = DEFAULT_BUSINESS_DATE_LIMITS;

/** Set at start-up from the service's configuration (BUSINESS_DATE_MIN, BUSINESS_DATE_FUTURE_DAYS). */
export const configureBusinessDates = (limits: BusinessDateLimits): void => {
  businessDateLimits = limits;
};

/** The dates the edge accepts today (UTC): the domain is given these, it never looks at the clock. */
export const businessDatesToday = (now: Date = new Date()): BusinessDateRanges =>
  businessDateRanges(businessDateLimits, now.toISOString().slice(0, 10));

const DATE_KINDS: Record<BusinessDateKind, string> = {
  occurred:
    'the date something happened: from BUSINESS_DATE_MIN (default 1980-01-01) to BUSINESS_DATE_FUTURE_DAYS (default 7) days after today',
  planned: 'a planned date: from BUSINESS_DATE_MIN (default 1980-01-01) to 50 years after today',
  query: 'any real date',
};

/**
 * A business date `YYYY-MM-DD` that exists in the calendar (2025-02-30 does not) and lies in the
 * range of its kind: a fact that happened (default), a planned date, or the date a read is stated at.
 */
export function IsBusinessDate(kind: BusinessDateKind = 'occurred', options?: ValidationOptions) {
  return applyDecorators(
    ApiProperty({ type: 'string', format: 'date', example: '2025-04-01', description: DATE_KINDS[kind] }),
    (target: object, propertyName: string | symbol) =>
      registerDecorator({
        name: 'isBusinessDate',
        target: target.constructor,
        propertyName: String(propertyName),
        options: {
          message: () => {
            const { from, to } = businessDatesToday()[kind];
            return `$property must be a real date written YYYY-MM-DD from ${from} to ${to}`;
          },
          ...options,
        },
        validator: { validate: (value: unknown) => isDateWithin(value, businessDatesToday()[kind]) },
      }),
  );
}

/**
 * Every body refuses NUL and most control characters (see hostile-json.ts), but keeps tab and line
 * breaks for multi-line text; a single-line field refuses them too: all C0 controls, DEL and C1.
 */
const SINGLE_LINE = /^[^\u0000-\u001F\u007F-\u009F]*$/;
export const IsSingleLine = () =>
  ValidateBy({
    name: 'isSingleLine',
    validator: {
      validate: (value) => typeof value === 'string' && SINGLE_LINE.test(value),
      defaultMessage: () => '$property must be one line without control characters',
    },
  });

/** A name, place or purpose: one line, non-blank, at most 200 characters. */
export const IsText = (example: string) =>
  applyDecorators(
    IsString(),
    Matches(/\S/, { message: '$property must not be blank' }),
    IsSingleLine(),
    MaxLength(MAX_TEXT_LENGTH),
    ApiProperty({ example, maxLength: MAX_TEXT_LENGTH }),
  );

export const IsId = (description: string) => applyDecorators(IsUUID(), ApiProperty({ format: 'uuid', description }));
