import { Module, type DynamicModule, type Provider, type Type } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { MessagingMigrations } from '@sangam/messaging';
import type { ServiceConfig } from './config/service-config';
import { AccessGuard, TOKEN_VERIFIER } from './access/access.guard';
import { accessFactOf } from './access/access-facts';
import { AccessView, accessFactsProjection, applyAccessFacts, SCOPE_TIES, type ScopeTies } from './access/access-view';
import { AccessView1764800000000 } from './access/access-view.migration';
import { MeController } from './access/me.controller';
import { Housekeeping } from './housekeeping/housekeeping';
import { PlannerStatistics } from './database/planner-statistics';
import { TokenVerifier } from './access/token-verifier';
import { databaseUrl, ensureDatabase, postgresOptions, runMigrations, type MigrationClass } from './database/database';
import { ANSWER_SEALER, type AnswerSealer } from './http/answer-sealing';
import { ErrorFilter } from './http/error.filter';
import { IdempotencyInterceptor } from './http/idempotency.interceptor';
import { IdempotencyMigrations } from './http/idempotency.migration';
import { RouteIdInterceptor } from './http/route-ids';
import { configureBusinessDates, createValidationPipe } from './http/validation';
import { ConsumerHost } from './kafka/consumer-host';
import { eventStoreProviders } from './kafka/event-store.providers';
import { kafkaProviders, ProducerLifecycle } from './kafka/kafka.providers';
import { EVENT_PUBLICATION, KAFKA, KAFKA_PRODUCER, SERVICE_CONFIG } from './kafka/kafka.tokens';
import { HealthController } from './observability/health.controller';
import { SERVICE_LOGGER, serviceLogger } from './observability/service-logger';
import { DeadLetterGauge, Metrics, MetricsController } from './observability/metrics';
import type { Upcaster } from '@sangam/domain';
import { EventStoreMigrations, OutboxRelay, PostgresEventStore, type InlineProjection, type PublishedLanguage } from '@sangam/event-store';

/** What a service keeps in its database: its own tables, and an event store when it publishes events. */
export type ServiceStorage = {
  /** The service's own migrations, run after the shared ones. */
  migrations: MigrationClass[];
  /** Views of the service's own events kept in the appending transaction. */
  inlineProjections?: InlineProjection[];
} & ({ eventTopic?: undefined } | EventStorage);

/** A service with an event store. */
export interface EventStorage {
  /** The topic its outbox relay publishes to. */
  eventTopic: string;
  /** Its domain events as the integration events it publishes (see publishedLanguage). */
  publishedLanguage: PublishedLanguage;
  /** The history of its stored event types: older schemaVersions are read in the current shape. */
  upcasters?: readonly Upcaster[];
}

/** Where a service learns who may see what (see libs/platform/src/access). */
export interface AccessOptions {
  /** Grants and memberships among the service's own events, projected in the appending transaction. */
  ownEvents?: boolean;
  /** Other services' topics whose grants, memberships and credit lines the service honours. */
  topics?: readonly string[];
  /** How the service finds the parties of the loans or credit lines it owns. */
  ties?: Type<ScopeTies>;
}

export type PlatformOptions = ServiceStorage & {
  config: ServiceConfig;
  access?: AccessOptions;
  /** Needed by a service with @SealedAnswer routes. */
  answerSealer?: AnswerSealer;
};

export const serviceMigrations = ({ migrations, eventTopic }: ServiceStorage): MigrationClass[] => [
  ...MessagingMigrations,
  ...IdempotencyMigrations,
  AccessView1764800000000,
  ...(eventTopic ? EventStoreMigrations : []),
  ...migrations,
];

/** Services that honour other services' grants read them from those topics, checkpointed with the view. */
const accessViewConsumer = (topics: readonly string[]): Provider => ({
  provide: 'sangam:access-view-consumer',
  inject: [ConsumerHost, SERVICE_CONFIG],
  useFactory: (consumers: ConsumerHost, config: ServiceConfig) => {
    if (topics.length === 0) return null;
    consumers.register({
      name: `${config.service}.access-view`,
      topics,
      appliesTo: (envelope) => accessFactOf(envelope) !== null,
      handle: (events, manager) =>
        applyAccessFacts(
          manager,
          events.map((e) => e.envelope),
        ),
    });
    return null;
  },
});

/**
 * What every Sangam service stands on: configuration, its own database (created and migrated),
 * Kafka, the event store and relay, consumers, the HTTP conventions, health, metrics and logs.
 */
@Module({})
export class PlatformModule {
  static forService(options: PlatformOptions): DynamicModule {
    const { config, eventTopic, inlineProjections = [], answerSealer, access = {} } = options;
    // DTO decorators are static: the dates they accept come from this one setting of the process.
    configureBusinessDates(config.businessDates);
    const storeProviders =
      options.eventTopic !== undefined
        ? eventStoreProviders(options, [...(access.ownEvents ? [accessFactsProjection] : []), ...inlineProjections])
        : [];
    return {
      module: PlatformModule,
      global: true,
      imports: [
        TerminusModule,
        TypeOrmModule.forRootAsync({
          useFactory: () => postgresOptions(databaseUrl(config.databaseUrl, config.databaseName), serviceMigrations(options)),
          dataSourceFactory: async (options) => {
            await ensureDatabase(config.databaseUrl, config.databaseName);
            const dataSource = await new DataSource(options!).initialize();
            await runMigrations(dataSource);
            return dataSource;
          },
        }),
      ],
      controllers: [HealthController, MetricsController, MeController],
      providers: [
        { provide: SERVICE_CONFIG, useValue: config },
        { provide: SERVICE_LOGGER, useValue: serviceLogger(config.service, config.logLevel) },
        { provide: ANSWER_SEALER, useValue: answerSealer ?? null },
        ...kafkaProviders,
        ProducerLifecycle,
        Metrics,
        DeadLetterGauge,
        Housekeeping,
        PlannerStatistics,
        ConsumerHost,
        ...storeProviders,
        { provide: TOKEN_VERIFIER, useValue: new TokenVerifier(config.oidc) },
        ...(access.ties ? [{ provide: SCOPE_TIES, useClass: access.ties }] : []),
        AccessView,
        accessViewConsumer(access.topics ?? []),
        { provide: APP_GUARD, useClass: AccessGuard },
        { provide: APP_FILTER, useClass: ErrorFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
        // First of the interceptors: a path id that is not a UUID is 404 before anything else looks at the request.
        { provide: APP_INTERCEPTOR, useClass: RouteIdInterceptor },
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
      ],
      exports: [
        SERVICE_CONFIG,
        SERVICE_LOGGER,
        KAFKA,
        KAFKA_PRODUCER,
        Metrics,
        ConsumerHost,
        AccessView,
        Housekeeping,
        ...(eventTopic ? [PostgresEventStore, OutboxRelay, EVENT_PUBLICATION] : []),
      ],
    };
  }
}
