import { Module, type DynamicModule, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { DataSource, type MixedList } from 'typeorm';
import { MessagingSchema } from '@sangam/messaging';
import type { ServiceConfig } from './config/service-config';
import { databaseUrl, ensureDatabase, postgresOptions, runMigrations } from './database/database';
import { ANSWER_SEALER, type AnswerSealer } from './http/answer-sealing';
import { ErrorFilter } from './http/error.filter';
import { IdempotencyInterceptor } from './http/idempotency.interceptor';
import { IdempotencyMigrations } from './http/idempotency.migration';
import { createValidationPipe } from './http/validation';
import { ConsumerHost } from './kafka/consumer-host';
import { eventStoreProviders } from './kafka/event-store.providers';
import { kafkaProviders, ProducerLifecycle } from './kafka/kafka.providers';
import { KAFKA, KAFKA_PRODUCER, SERVICE_CONFIG } from './kafka/kafka.tokens';
import { HealthController } from './observability/health.controller';
import { HttpMetricsMiddleware, Metrics, MetricsController } from './observability/metrics';
import { EventStoreMigrations, OutboxRelay, PostgresEventStore } from '@sangam/event-store';

/** What a service keeps in its database: its own tables, and an event store when it publishes events. */
export interface ServiceStorage {
  /** The service's own migrations, run after the shared ones. */
  migrations: MixedList<Function>;
  /** Set for services with an event store: the topic its outbox relay publishes to. */
  eventTopic?: string;
}

export interface PlatformOptions extends ServiceStorage {
  config: ServiceConfig;
  /** Needed by a service with @SealedAnswer routes. */
  answerSealer?: AnswerSealer;
}

export const serviceMigrations = ({ migrations, eventTopic }: ServiceStorage): Function[] => [
  MessagingSchema,
  ...IdempotencyMigrations,
  ...(eventTopic ? EventStoreMigrations : []),
  ...(migrations as Function[]),
];

const quietRoutes = new Set(['/health', '/metrics']);

/**
 * What every Sangam service stands on: configuration, its own database (created and migrated),
 * Kafka, the event store and relay, consumers, the HTTP conventions, health, metrics and logs.
 */
@Module({})
export class PlatformModule implements NestModule {
  static forService({ config, migrations, eventTopic, answerSealer }: PlatformOptions): DynamicModule {
    const storeProviders = eventTopic ? eventStoreProviders(eventTopic) : [];
    return {
      module: PlatformModule,
      global: true,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: {
            level: config.logLevel,
            name: config.service,
            autoLogging: { ignore: (req) => quietRoutes.has(req.url ?? '') },
            redact: ['req.headers.authorization', 'req.headers["webhook-signature"]'],
            transport: process.stdout.isTTY ? { target: 'pino-pretty', options: { singleLine: true } } : undefined,
          },
        }),
        TerminusModule,
        TypeOrmModule.forRootAsync({
          useFactory: () => postgresOptions(databaseUrl(config.databaseUrl, config.databaseName), serviceMigrations({ migrations, eventTopic })),
          dataSourceFactory: async (options) => {
            await ensureDatabase(config.databaseUrl, config.databaseName);
            const dataSource = await new DataSource(options!).initialize();
            await runMigrations(dataSource);
            return dataSource;
          },
        }),
      ],
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: SERVICE_CONFIG, useValue: config },
        { provide: ANSWER_SEALER, useValue: answerSealer ?? null },
        ...kafkaProviders,
        ProducerLifecycle,
        Metrics,
        ConsumerHost,
        ...storeProviders,
        { provide: APP_FILTER, useClass: ErrorFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
      ],
      exports: [SERVICE_CONFIG, KAFKA, KAFKA_PRODUCER, Metrics, ConsumerHost, ...(eventTopic ? [PostgresEventStore, OutboxRelay] : [])],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpMetricsMiddleware).forRoutes('*path');
  }
}
