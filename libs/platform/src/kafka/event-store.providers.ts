import { Housekeeping } from '../housekeeping/housekeeping';
import type { ServiceConfig } from '../config/service-config';
import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap, type Provider } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { UpcasterChain } from '@sangam/domain';
import {
  OutboxRelay,
  LeaderLaneSender,
  PostgresEventStore,
  publisherOf,
  type EventPublication,
  type InlineProjection,
} from '@sangam/event-store';
import type { EventStorage } from '../platform.module';
import { Metrics } from '../observability/metrics';
import { EVENT_PUBLICATION, KAFKA, SERVICE_CONFIG } from './kafka.tokens';

@Injectable()
export class RelayLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    private readonly relay: OutboxRelay,
    store: PostgresEventStore,
    metrics: Metrics,
    housekeeping: Housekeeping,
    @Inject(SERVICE_CONFIG) config: ServiceConfig,
  ) {
    // Sent rows are history: the events themselves stay in the store.
    housekeeping.register({
      table: 'outbox',
      ageColumn: 'published_at',
      retentionDays: config.retention.outboxDays,
      where: 'published_at IS NOT NULL',
    });
    store.notifications.on('appended', (count: number) => metrics.eventsAppended.inc(count));
  }

  onApplicationBootstrap(): void {
    this.relay.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.relay.stop();
  }
}

const relayLogger = new Logger('outbox-relay');

/** Where and in which language the service publishes its stored events: the relay's, and republish's. */
export const eventPublication = (storage: EventStorage, store: PostgresEventStore): EventPublication => ({
  topic: storage.eventTopic,
  publish: publisherOf(store, storage.publishedLanguage),
});

export const eventStoreProviders = (storage: EventStorage, inlineProjections: InlineProjection[]): Provider[] => [
  {
    provide: PostgresEventStore,
    inject: [DataSource],
    useFactory: (ds: DataSource) => new PostgresEventStore(ds, inlineProjections, new UpcasterChain(storage.upcasters ?? [])),
  },
  { provide: EVENT_PUBLICATION, inject: [PostgresEventStore], useFactory: (store: PostgresEventStore) => eventPublication(storage, store) },
  {
    provide: OutboxRelay,
    inject: [DataSource, KAFKA, PostgresEventStore, EVENT_PUBLICATION],
    // The relay has a producer of its own: it replaces it after a failed send.
    useFactory: (ds: DataSource, kafka: Kafka, store: PostgresEventStore, publication: EventPublication) =>
      new OutboxRelay(
        ds,
        new LeaderLaneSender(kafka),
        { ...publication, onError: (e) => relayLogger.error(`publishing failed, will retry: ${String(e)}`) },
        store,
      ),
  },
  RelayLifecycle,
];
