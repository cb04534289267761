import { randomUUID } from 'node:crypto';
import type { Kafka, Producer } from 'kafkajs';
import { brokersFromEnv, createKafka, encodeEnvelope, type EventEnvelope } from '@sangam/messaging';

export interface EventToPublish {
  type: string;
  streamId: string;
  data: object;
  eventId?: string;
  streamVersion?: number;
  correlationId?: string;
  causationId?: string | null;
}

export const envelopeOf = (event: EventToPublish): EventEnvelope => {
  const now = new Date().toISOString();
  return {
    eventId: event.eventId ?? randomUUID(),
    type: event.type,
    streamId: event.streamId,
    streamVersion: event.streamVersion ?? 1,
    occurredAt: now,
    recordedAt: now,
    correlationId: event.correlationId ?? randomUUID(),
    causationId: event.causationId ?? null,
    schemaVersion: 1,
    data: event.data,
  };
};

/** Stands in for another service in tests: produces contract envelopes to its topic. */
export class TestPublisher {
  private constructor(
    private readonly kafka: Kafka,
    private readonly producer: Producer,
  ) {}

  static async connect(): Promise<TestPublisher> {
    const kafka = createKafka({ clientId: 'sangam-lending-test', brokers: brokersFromEnv() });
    const producer = kafka.producer();
    await producer.connect();
    return new TestPublisher(kafka, producer);
  }

  /** The next offset of every partition of the topic: a consumer past these has read all that was published so far. */
  async endOffsets(topic: string): Promise<{ partition: number; offset: string }[]> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      return (await admin.fetchTopicOffsets(topic)).map(({ partition, high }) => ({ partition, offset: high }));
    } finally {
      await admin.disconnect();
    }
  }

  async publish(topic: string, events: (EventToPublish | EventEnvelope)[]): Promise<EventEnvelope[]> {
    const envelopes = events.map((e) => ('recordedAt' in e ? e : envelopeOf(e)));
    await this.producer.send({ topic, acks: -1, messages: envelopes.map(encodeEnvelope) });
    return envelopes;
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }
}
