import { Inject, Injectable, Logger, type OnApplicationBootstrap, type BeforeApplicationShutdown } from '@nestjs/common';
import type { Kafka, Producer } from 'kafkajs';
import { DataSource } from 'typeorm';
import { INTEGRATION_UPCASTERS } from '@sangam/contracts';
import { CheckpointedConsumer, type CheckpointedConsumerOptions } from '@sangam/messaging';
import type { ServiceConfig } from '../config/service-config';
import { Metrics } from '../observability/metrics';
import { KAFKA, KAFKA_PRODUCER, SERVICE_CONFIG } from './kafka.tokens';

/** Starts the service's checkpointed consumers once the app is up and stops them on shutdown. */
@Injectable()
export class ConsumerHost implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('consumers');
  private readonly pending: CheckpointedConsumerOptions[] = [];
  private readonly running: CheckpointedConsumer[] = [];

  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(KAFKA_PRODUCER) private readonly producer: Producer,
    private readonly dataSource: DataSource,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    private readonly metrics: Metrics,
  ) {}

  /** Every consumer of the service receives the integration events in their current shape, whatever version was published. */
  register(options: Omit<CheckpointedConsumerOptions, 'log' | 'upcast' | 'onApplied'>): void {
    this.pending.push({
      ...options,
      groupId: `${this.config.databaseName}.${options.name}`,
      upcast: (envelope) => INTEGRATION_UPCASTERS.upcast(envelope),
      log: (level, message, context) => this.logger[level === 'info' ? 'log' : level]({ ...context, msg: message }),
      onApplied: this.metrics.observeLag(options.name),
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    for (const options of this.pending.splice(0)) {
      const consumer = new CheckpointedConsumer(this.kafka, this.dataSource, this.producer, options);
      await consumer.start();
      this.running.push(consumer);
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all(this.running.splice(0).map((c) => c.stop()));
  }
}
