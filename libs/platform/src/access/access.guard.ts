import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { DomainError } from '@sangam/domain';
import { AccessView } from './access-view';
import type { Caller, Role } from './caller';
import { ROUTE_POLICY, SIGNED_IN, type RoutePolicy } from './route-policy';
import { TokenVerifier } from './token-verifier';

export const TOKEN_VERIFIER = 'sangam:token-verifier';

export type RequestWithCaller = Request & { caller?: Caller };

export const forbidden = (message: string) => new DomainError('forbidden', message, 'forbidden');

/** Admin may do everything; an auditor reads everything and writes nothing; anyone else needs one of the route's roles. */
export function roleMayCall(caller: Caller, roles: readonly Role[] | typeof SIGNED_IN, method: string): boolean {
  if (roles === SIGNED_IN || caller.roles.includes('admin')) return true;
  if (method === 'GET' && caller.roles.includes('auditor')) return true;
  return caller.roles.some((role) => roles.includes(role));
}

/**
 * The one guard of every service, deny by default: a route without a policy is refused; otherwise
 * the token is verified (401), the role checked (403), then the objects the route touches must
 * be in the caller's scope (404, as if they did not exist).
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(TOKEN_VERIFIER) private readonly verifier: TokenVerifier,
    private readonly access: AccessView,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const policy = this.reflector.getAllAndOverride<RoutePolicy | undefined>(ROUTE_POLICY, [context.getHandler(), context.getClass()]);
    if (!policy) throw forbidden('This route declares no access policy');
    if (policy.public) return true;
    const request = context.switchToHttp().getRequest<RequestWithCaller>();
    const caller = await this.verifier.verify(request.headers.authorization);
    request.caller = caller;
    if (!roleMayCall(caller, policy.roles, request.method)) throw forbidden('Your role does not allow this');
    if (policy.scope) await this.access.requireInScope(caller, policy.scope(request));
    return true;
  }
}
