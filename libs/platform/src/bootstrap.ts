import { STATUS_CODES, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import express from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import type { ServiceConfig } from './config/service-config';
import { refuseHostileJson } from './http/hostile-json';
import { httpMetrics, Metrics } from './observability/metrics';
import { requestLog } from './observability/request-log';
import { PinoNestLogger, SERVICE_LOGGER } from './observability/service-logger';

export const BODY_LIMIT = '64kb';

export interface StartOptions {
  /** Paths whose bodies are kept raw (signed webhooks verify the exact bytes). */
  rawBodyPaths?: string[];
  description?: string;
  listen?: boolean;
}

/**
 * A request Node's HTTP parser refuses (a request line and headers over 16 KiB, bytes that are not
 * HTTP) never reaches Express; it is answered here in the contract's error shape rather than with
 * Node's bare status line.
 */
function answerUnparsableRequests(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const [status, body] =
      error.code === 'HPE_HEADER_OVERFLOW'
        ? [431, { error: 'headers_too_large', message: 'The request line or headers are too large' }]
        : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? [408, { error: 'request_timeout', message: 'The request took too long to arrive' }]
          : [400, { error: 'bad_request', message: 'The request is not valid HTTP' }];
    const text = JSON.stringify(body);
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(text)}\r\n` +
        `X-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n${text}`,
    );
  });
}

/** Creates a service's HTTP app with the shared conventions and starts listening. */
export async function createServiceApp(module: unknown, config: ServiceConfig, options: StartOptions = {}) {
  const app = await NestFactory.create<NestExpressApplication>(module as never, { bufferLogs: true, bodyParser: false });
  const logger = app.get<Logger>(SERVICE_LOGGER);
  app.useLogger(new PinoNestLogger(logger));
  app.disable('x-powered-by');
  // First, so that the time logged and measured covers the whole request, and an answer refused
  // while reading its body is logged and counted too. Plain Express middleware: Nest's, bound to
  // every route, cost a pattern match per request.
  app.use(requestLog(logger), httpMetrics(app.get(Metrics)));
  // The web console calls the API from its own origin with the user's token; preflights end here, before any guard.
  app.enableCors({
    origin: config.corsOrigins,
    allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key'],
    exposedHeaders: ['Retry-After', 'WWW-Authenticate'],
    maxAge: 600,
  });
  // Standard security headers on every answer, errors included (nosniff, frame denial, HSTS, a strict CSP...).
  app.use(helmet());
  for (const path of options.rawBodyPaths ?? []) app.use(path, express.raw({ type: () => true, limit: BODY_LIMIT }));
  app.use(express.json({ limit: BODY_LIMIT }));
  // Deep nesting, prototype keys and control characters are refused for every route, before any DTO sees the body.
  app.use(refuseHostileJson);
  answerUnparsableRequests(app.getHttpServer());
  if (config.apiDocs) {
    const document = SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle(`Sangam ${config.service} service`)
        .setDescription(options.description ?? 'See shared/contract.md for the conventions: paise, dates, errors, idempotency.')
        .setVersion('1.0')
        .build(),
    );
    SwaggerModule.setup('docs', app, document);
  }
  app.enableShutdownHooks();
  if (options.listen !== false) await app.listen(config.port, config.host);
  return app;
}
