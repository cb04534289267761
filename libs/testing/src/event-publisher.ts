import { randomUUID } from 'node:crypto';
import type { Producer } from 'kafkajs';
import { INTEGRATION_UPCASTERS } from '@sangam/contracts';
import { encodeEnvelope, type EventEnvelope } from '@sangam/messaging';
import { testKafka } from './scratch-topic';

/** An event as a test states it: what it leaves out is filled in as for a fresh first event of its stream, at its type's current schemaVersion. */
export type EventToPublish = Partial<EventEnvelope<unknown>> & { type: string };

export type PublishedEnvelope = EventEnvelope<any> & { partition: number; offset: string };

export function envelopeOf(event: EventToPublish): EventEnvelope {
  const now = new Date().toISOString();
  const {
    eventId = randomUUID(),
    type,
    streamId = randomUUID(),
    streamVersion = 1,
    occurredAt = now,
    recordedAt = now,
    correlationId = randomUUID(),
    causationId = null,
    actor = { service: 'test' },
    schemaVersion = INTEGRATION_UPCASTERS.currentVersion(type),
    data = {},
  } = event;
  return { eventId, type, streamId, streamVersion, occurredAt, recordedAt, correlationId, causationId, actor, schemaVersion, data };
}

/** Stands in for another service in tests: publishes contract envelopes to its topic as its outbox relay would (keyed by stream id). */
export class EventPublisher {
  private readonly kafka = testKafka();
  private producer: Promise<Producer> | null = null;

  /** Publishes in order and answers each envelope with where it landed; publishing one of those again redelivers it unchanged. */
  async publish(topic: string, ...events: EventToPublish[]): Promise<PublishedEnvelope[]> {
    const producer = await this.connected();
    const published: PublishedEnvelope[] = [];
    for (const envelope of events.map(envelopeOf)) {
      const [record] = await producer.send({ topic, acks: -1, messages: [encodeEnvelope(envelope)] });
      published.push({ ...envelope, partition: record.partition, offset: String(record.baseOffset) });
    }
    return published;
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

  async close(): Promise<void> {
    const producer = this.producer;
    this.producer = null;
    await (await producer)?.disconnect();
  }

  private connected(): Promise<Producer> {
    this.producer ??= (async () => {
      const producer = this.kafka.producer();
      await producer.connect();
      return producer;
    })();
    return this.producer;
  }
}
