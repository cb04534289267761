import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Caller } from './caller';
import type { RequestWithCaller } from './access.guard';

/** The verified caller of a route that needs a token (set by AccessGuard). */
export const callerOf = (context: ExecutionContext): Caller => {
  const caller = context.switchToHttp().getRequest<RequestWithCaller>().caller;
  if (!caller) throw new Error('no caller on this request: is the route public?');
  return caller;
};

export const CurrentCaller = createParamDecorator((_: unknown, context: ExecutionContext): Caller => callerOf(context));
