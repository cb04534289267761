/** How an HTTP edge should answer a domain error; the exception filter maps each to a status. */
export type ErrorCategory =
  | 'validation'
  | 'not_found'
  | 'conflict'
  | 'business_rule'
  | 'unauthorized'
  | 'forbidden'
  | 'payload_too_large'
  | 'unavailable';

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
export const ruleBroken = (code: string, message: string): DomainError => new DomainError(code, message);

export const assertNever = (value: never): never => {
  throw new Error(`Unhandled case: ${JSON.stringify(value)}`);
};
