import { SetMetadata } from '@nestjs/common';
import type { Request } from 'express';
import type { Role } from './caller';

/** Objects a caller may or may not have in scope; loans and credit lines are in scope through their parties. */
export type ScopeKind = 'network' | 'shg' | 'bank' | 'loan' | 'credit-line';

export interface ScopeTarget {
  kind: ScopeKind;
  id: string;
  /** A malformed id in the path is an object that does not exist; in a body, validation answers for it. */
  from: 'path' | 'body';
}

/** Where a route finds the objects it touches: the path, the body. */
export type ScopeOf = (request: Request) => ScopeTarget[];

export type RoutePolicy =
  | { public: true }
  /**
   * `roles` may call the route (admin always may; auditor may on every GET). `scope` names the
   * objects the caller must have in scope, else the route answers 404 as if they did not exist.
   */
  | { public?: false; roles: readonly Role[] | typeof SIGNED_IN; scope?: ScopeOf };

export const ROUTE_POLICY = 'sangam:route-policy';

/** Every route declares who may call it, once, where it is defined; a route without one is refused. */
export const Policy = (roles: readonly Role[] | typeof SIGNED_IN, ...scope: ScopeOf[]) =>
  SetMetadata(ROUTE_POLICY, {
    roles,
    scope: scope.length > 0 ? (request: Request) => scope.flatMap((of) => of(request)) : undefined,
  } satisfies RoutePolicy);

/** For routes that need no token: health, metrics, and signed bank webhooks (the signature is the bank's identity). */
export const PublicRoute = () => SetMetadata(ROUTE_POLICY, { public: true } satisfies RoutePolicy);

/** Any caller with a valid token, whatever their roles (`GET /me`). */
export const SIGNED_IN = 'signed-in';

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** The object named by a path parameter. */
export const inPath =
  (kind: ScopeKind, param = 'id'): ScopeOf =>
  (request) => [{ kind, id: text(request.params[param]) ?? '', from: 'path' }];

/**
 * The object named by a body field (`shgId`, `bankId`), or by a `{ type, id }` party such as a loan's
 * lender. A body too malformed to name one is left to validation, which refuses it with 400.
 */
export const inBody =
  (kind: ScopeKind, field: string): ScopeOf =>
  (request) => {
    const id = text((request.body as Record<string, unknown> | undefined)?.[field]);
    return id === null ? [] : [{ kind, id, from: 'body' }];
  };

export const partyInBody =
  (field: string): ScopeOf =>
  (request) => {
    const party = (request.body as Record<string, unknown> | undefined)?.[field] as { type?: unknown; id?: unknown } | undefined;
    const id = text(party?.id);
    return id !== null && (party?.type === 'network' || party?.type === 'shg') ? [{ kind: party.type, id, from: 'body' }] : [];
  };
