import { HttpException, HttpStatus } from '@nestjs/common';
import { DomainError, type ErrorCategory, type ErrorDetail } from '@sangam/domain';
import { isTransient } from '@sangam/messaging';

export interface ErrorBody {
  error: string;
  message: string;
  details?: ErrorDetail[];
}

export interface ErrorResponse {
  status: number;
  body: ErrorBody;
}

const STATUS_OF: Record<ErrorCategory, number> = {
  validation: HttpStatus.BAD_REQUEST,
  not_found: HttpStatus.NOT_FOUND,
  conflict: HttpStatus.CONFLICT,
  business_rule: HttpStatus.UNPROCESSABLE_ENTITY,
  unauthorized: HttpStatus.UNAUTHORIZED,
  forbidden: HttpStatus.FORBIDDEN,
  payload_too_large: HttpStatus.PAYLOAD_TOO_LARGE,
  unavailable: HttpStatus.SERVICE_UNAVAILABLE,
};

/** body-parser marks its errors with a `type`; they reach us before any route runs. */
function fromBodyParser(error: { type?: string; status?: number }): ErrorResponse | null {
  if (error.type === 'entity.too.large') {
    return { status: 413, body: { error: 'payload_too_large', message: 'The request body is too large' } };
  }
  if (error.type === 'entity.parse.failed') {
    return { status: 400, body: { error: 'validation_failed', message: 'The request body is not valid JSON' } };
  }
  if (typeof error.type === 'string' && error.status && error.status < 500) {
    return { status: 400, body: { error: 'validation_failed', message: 'The request body could not be read' } };
  }
  return null;
}

const HTTP_CODES: Record<number, string> = {
  400: 'validation_failed',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
};

/** The contract's error shape for anything thrown; internals never reach the client. */
export function toErrorResponse(error: unknown): ErrorResponse {
  if (error instanceof DomainError) {
    const body: ErrorBody = { error: error.code, message: error.message };
    if (error.details) body.details = error.details;
    return { status: STATUS_OF[error.category], body };
  }
  // The database is down, restarting or unreachable: honest and quick, the client may retry.
  if (isTransient(error)) {
    return { status: 503, body: { error: 'service_unavailable', message: 'A dependency of this service is unavailable; retry shortly' } };
  }
  // The Express adapter wraps body-parser's errors in an HttpException; the cause says what happened.
  const cause = error instanceof HttpException && error.cause ? error.cause : error;
  const parsed = fromBodyParser(cause as { type?: string; status?: number });
  if (parsed) return parsed;
  // The router could not percent-decode a path parameter (`/shgs/%E0%A4%A`): that path names nothing.
  if (cause instanceof URIError) return { status: 404, body: { error: 'not_found', message: 'No such route or resource' } };
  if (error instanceof HttpException) {
    const status = error.getStatus();
    if (status === (HttpStatus.SERVICE_UNAVAILABLE as number)) {
      // Terminus answers a failed health check with the failing indicators under `error`.
      const failing = Object.keys((error.getResponse() as { error?: object }).error ?? {});
      return { status, body: { error: 'service_unavailable', message: `Not healthy: ${failing.join(', ') || 'a dependency is down'}` } };
    }
    if (status < 500) {
      const message = status === 404 ? 'No such route or resource' : error.message;
      return { status, body: { error: HTTP_CODES[status] ?? 'bad_request', message } };
    }
  }
  return { status: 500, body: { error: 'internal_error', message: 'Something went wrong on our side; it has been logged' } };
}
