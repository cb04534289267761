import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { DataSource } from 'typeorm';
import { UnitOfWork } from '@sangam/event-store';

/** The methods of command routes: each such request runs in one unit of work. */
export const COMMAND_METHODS = new Set(['POST', 'DELETE']);

type RequestWithUnitOfWork = Request & { unitOfWork?: UnitOfWork };

/**
 * The one request-scoped context of the write side: the IdempotencyInterceptor opens a unit of
 * work for every command request, whether it carries an Idempotency-Key or not, and keeps it on
 * the request while the route runs; the route takes it with `@RequestUnitOfWork()` and hands it
 * to its handler as an argument. Whatever the handler writes commits with the key's answer, or
 * not at all.
 */
export function inRequestUnitOfWork<T>(dataSource: DataSource, request: Request, work: (unit: UnitOfWork) => Promise<T>): Promise<T> {
  return UnitOfWork.run(dataSource, async (unit) => {
    (request as RequestWithUnitOfWork).unitOfWork = unit;
    try {
      return await work(unit);
    } finally {
      delete (request as RequestWithUnitOfWork).unitOfWork;
    }
  });
}

export const RequestUnitOfWork = createParamDecorator((_: unknown, context: ExecutionContext): UnitOfWork => {
  const unit = context.switchToHttp().getRequest<RequestWithUnitOfWork>().unitOfWork;
  if (!unit) throw new Error('no unit of work on this request: only POST and DELETE routes run in one');
  return unit;
});
