import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import express from 'express';
import { Logger } from 'nestjs-pino';
import type { ServiceConfig } from './config/service-config';

export const BODY_LIMIT = '64kb';

export interface StartOptions {
  /** Paths whose bodies are kept raw (signed webhooks verify the exact bytes). */
  rawBodyPaths?: string[];
  description?: string;
  listen?: boolean;
}

/** Creates a service's HTTP app with the shared conventions and starts listening. */
export async function createServiceApp(module: unknown, config: ServiceConfig, options: StartOptions = {}) {
  const app = await NestFactory.create<NestExpressApplication>(module as never, { bufferLogs: true, bodyParser: false });
  app.useLogger(app.get(Logger));
  for (const path of options.rawBodyPaths ?? []) app.use(path, express.raw({ type: () => true, limit: BODY_LIMIT }));
  app.use(express.json({ limit: BODY_LIMIT }));
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle(`Sangam ${config.service} service`)
      .setDescription(options.description ?? 'See shared/contract.md for the conventions: paise, dates, errors, idempotency.')
      .setVersion('1.0')
      .build(),
  );
  SwaggerModule.setup('docs', app, document);
  app.enableShutdownHooks();
  if (options.listen !== false) await app.listen(config.port, config.host);
  return app;
}
