import { randomUUID } from 'node:crypto';
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { CommandMetadata as Metadata } from '@sangam/domain';
import { callerOf } from '../access/current-caller.decorator';

const CORRELATION_HEADER = 'x-correlation-id';
const MAX_CORRELATION_ID_LENGTH = 255;

/** The metadata of a command (`@CommandMetadata() metadata: CommandMetadata`). */
export type CommandMetadata = Metadata;

/**
 * The metadata of an HTTP command: the caller's correlation id when it sends one (1..255 chars),
 * else a new one, and the caller as the events' actor.
 */
export const CommandMetadata = createParamDecorator((_: unknown, context: ExecutionContext): CommandMetadata => {
  const header = context.switchToHttp().getRequest<Request>().headers[CORRELATION_HEADER];
  const correlationId =
    typeof header === 'string' && header.length > 0 && header.length <= MAX_CORRELATION_ID_LENGTH ? header : randomUUID();
  const { userId, username } = callerOf(context);
  return { correlationId, causationId: null, actor: { userId, username } };
});
