import { Inject, Injectable, Logger, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import type { Kafka, Producer } from 'kafkajs';
import { createKafka, ensureTopics } from '@sangam/messaging';
import type { ServiceConfig } from '../config/service-config';
import { KAFKA, KAFKA_PRODUCER, SERVICE_CONFIG } from './kafka.tokens';

const kafkaLogger = new Logger('kafka');

export const kafkaProviders: Provider[] = [
  {
    provide: KAFKA,
    inject: [SERVICE_CONFIG],
    useFactory: (config: ServiceConfig) =>
      createKafka({ clientId: `sangam-${config.service}`, brokers: config.kafkaBrokers }, (level, context, message) =>
        kafkaLogger[level === 'info' ? 'log' : level]({ ...context, msg: message }),
      ),
  },
  {
    provide: KAFKA_PRODUCER,
    inject: [KAFKA, SERVICE_CONFIG],
    useFactory: async (kafka: Kafka, config: ServiceConfig) => {
      await ensureTopics(kafka, config.kafkaPartitions);
      // Idempotent with one request in flight: retries never duplicate or reorder a partition.
      const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
      await producer.connect();
      return producer;
    },
  },
];

@Injectable()
export class ProducerLifecycle implements OnApplicationShutdown {
  constructor(@Inject(KAFKA_PRODUCER) private readonly producer: Producer) {}

  async onApplicationShutdown(): Promise<void> {
    await this.producer.disconnect();
  }
}
