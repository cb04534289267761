import type { IncomingMessage, ServerResponse } from 'node:http';
import { stdSerializers, type Logger } from 'pino';
import pinoHttp from 'pino-http';

/**
 * What each request's log line says of it: who asked what, and the answer's status (pino-http adds
 * the time taken). No headers: they carry tokens, webhook signatures and idempotency keys, which a
 * log must never hold, and serialising and redacting them on every request cost more than the rest
 * of the line. Used with `wrapSerializers: false`: they are given Node's request and response.
 */
export const requestLogSerializers = {
  // Express rewrites `url` inside mounted routers; `originalUrl` is what was asked.
  req: (request: IncomingMessage & { id?: unknown; originalUrl?: string }) => ({
    id: request.id,
    method: request.method,
    url: request.originalUrl ?? request.url,
    remoteAddress: request.socket?.remoteAddress,
  }),
  res: (response: ServerResponse) => ({ statusCode: response.statusCode }),
  err: stdSerializers.err,
};

/** Probes and scrapes come every few seconds and say nothing: they are not logged. */
const QUIET_ROUTES = new Set(['/health', '/health/live', '/health/ready', '/metrics']);

/** The middleware that writes one line per request, when its answer is finished, with the service's logger. */
export const requestLog = (logger: Logger) =>
  pinoHttp({
    logger,
    autoLogging: { ignore: (request) => QUIET_ROUTES.has(request.url ?? '') },
    serializers: requestLogSerializers,
    wrapSerializers: false,
  });
