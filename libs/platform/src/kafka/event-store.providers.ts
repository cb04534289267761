import { Housekeeping } from '../housekeeping/housekeeping';
import type { ServiceConfig } from '../config/service-config';
import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap, type Provider } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { OutboxRelay, PerPartitionSender, PostgresEventStore, type InlineProjection } from '@sangam/event-store';
import { Metrics } from '../observability/metrics';
import { KAFKA, SERVICE_CONFIG } from './kafka.tokens';


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
    housekeeping.register({ table: 'outbox', ageColumn: 'published_at', retentionDays: config.retention.outboxDays, where: 'published_at IS NOT NULL' });
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

export const eventStoreProviders = (topic: string, inlineProjections: InlineProjection[]): Provider[] => [
  { provide: PostgresEventStore, inject: [DataSource], useFactory: (ds: DataSource) => new PostgresEventStore(ds, inlineProjections) },
  {
    provide: OutboxRelay,
    inject: [DataSource, KAFKA, PostgresEventStore],
    // The relay has a producer of its own: it replaces it after a failed send.
    useFactory: (ds: DataSource, kafka: Kafka, store: PostgresEventStore) =>
      new OutboxRelay(ds, new PerPartitionSender(kafka), { topic, onError: (e) => relayLogger.error(`publishing failed, will retry: ${String(e)}`) }, store),
  },
  RelayLifecycle,
];
