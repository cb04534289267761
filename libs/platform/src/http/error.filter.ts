import { ArgumentsHost, Catch, Logger, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { ReplayedResponse } from './replayed-response';
import { toErrorResponse } from './error-response';

/** What a client told to come back (503) should wait: outages of Postgres or the identity provider are usually seconds. */
const RETRY_AFTER_SECONDS = 2;

@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(error: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    if (error instanceof ReplayedResponse) {
      response.status(error.status).json(error.body);
      return;
    }
    const { status, body } = toErrorResponse(error);
    if (status === 500) this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    // RFC 6750: a refused bearer token says which scheme to use.
    if (body.error === 'unauthorized') response.setHeader('WWW-Authenticate', 'Bearer realm="sangam"');
    if (status === 503) response.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    response.status(status).json(body);
  }
}
