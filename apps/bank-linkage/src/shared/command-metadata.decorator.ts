import { randomUUID } from 'node:crypto';
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { EventMetadata } from '@sangam/event-store';

const CORRELATION_HEADER = 'x-correlation-id';

/** Event metadata of an HTTP command: the caller's correlation id when it sends one (1..255 chars). */
export const CommandMetadata = createParamDecorator((_: unknown, context: ExecutionContext): EventMetadata => {
  const header = context.switchToHttp().getRequest<Request>().headers[CORRELATION_HEADER];
  const correlationId = typeof header === 'string' && header.length > 0 && header.length <= 255 ? header : randomUUID();
  return { correlationId, causationId: null };
});
