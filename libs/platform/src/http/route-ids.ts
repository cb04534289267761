import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Request } from 'express';
import type { Observable } from 'rxjs';
import { DomainError, isUuid } from '@sangam/domain';

/** Route parameters that carry an id: `:id`, and `:shgId`, `:bankId`, `:userId`... */
export const isIdParameter = (name: string): boolean => name === 'id' || /^[a-z][A-Za-z0-9]*Id$/.test(name);

/**
 * Ids Sangam does not make: a user's id is the identity provider's subject (`sub`), printable
 * ASCII of at most 255 characters (as `GrantAccessDto` takes it). Every other id is ours: a UUID.
 */
const EXTERNAL_IDS: Record<string, RegExp> = { userId: /^[\x21-\x7e]{1,255}$/ };

const isValidId = (name: string, value: unknown): boolean =>
  EXTERNAL_IDS[name] ? typeof value === 'string' && EXTERNAL_IDS[name].test(value) : isUuid(value);

/** The answer to an id that cannot exist: the same as for an unknown route, and the id is not echoed. */
export const noSuchResource = () => new DomainError('not_found', 'No such route or resource', 'not_found');

/** Throws `404 not_found` when a route parameter named like an id is not one (a NUL, `..%2f`, 1000 characters...). */
export function assertRouteIds(params: Record<string, unknown> | undefined): void {
  for (const [name, value] of Object.entries(params ?? {})) {
    if (isIdParameter(name) && !isValidId(name, value)) throw noSuchResource();
  }
}

/**
 * Every route's ids, checked once for all: a path id that is not a UUID (nor, for `:userId`, a
 * subject) names nothing, so it is
 * `404 not_found` before any pipe, handler or query sees it. An interceptor runs after the guards
 * (an unauthenticated caller still gets 401) and before the Idempotency-Key interceptor and the
 * body's validation, so a bad id is a 404 whatever else is wrong with the request.
 */
@Injectable()
export class RouteIdInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() === 'http') assertRouteIds(context.switchToHttp().getRequest<Request>().params);
    return next.handle();
  }
}
