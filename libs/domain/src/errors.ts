/** How an HTTP edge should answer a domain error; the exception filter maps each to a status. */
export type ErrorCategory =
  'validation' | 'not_found' | 'conflict' | 'business_rule' | 'unauthorized' | 'forbidden' | 'payload_too_large' | 'unavailable';

export interface ErrorDetail {
  field: string;
  message: string;
}

/** The one error mechanism of the domain: a stable snake_case code plus a category. */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly category: ErrorCategory = 'business_rule',
    readonly details?: ErrorDetail[],
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export class NotFoundError extends DomainError {
  constructor(what: string, id: string) {
    super('not_found', `${what} ${id} was not found`, 'not_found');
  }
}

/** A rule of the business was broken: answered 422 with the rule's code. */
export const ruleBroken = (code: string, message: string, details?: ErrorDetail[]): DomainError =>
  new DomainError(code, message, 'business_rule', details);

export const assertNever = (value: never): never => {
  throw new Error(`Unhandled case: ${JSON.stringify(value)}`);
};

/**
 * `422 date_out_of_order`: a fact dated before the fact it depends on (a deposit before the SHG was
 * formed). Its details name the field that carries the date, as a validation error names its input.
 */
export function dateOutOfOrder(field: string, date: string, earliest: string, dependsOn: string): DomainError {
  const message = `${field} ${date} is before ${earliest}, when ${dependsOn}`;
  return ruleBroken('date_out_of_order', message, [{ field, message }]);
}

/** Throws date_out_of_order unless `date` is on or after `earliest`. */
export function requireNotBefore(field: string, date: string, earliest: string, dependsOn: string): void {
  if (date < earliest) throw dateOutOfOrder(field, date, earliest, dependsOn);
}

/**
 * `422 amount_too_large`: the write would take a balance or sum past 2^53 - 1 paise, the largest
 * amount a JSON number carries exactly, so a later read could not state it.
 */
export const amountTooLarge = (what: string): DomainError =>
  ruleBroken('amount_too_large', `${what} would pass 9007199254740991 paise, the largest amount the API can state exactly`);
