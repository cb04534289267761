import type { Producer } from 'kafkajs';
import { brokersFromEnv, createKafka, encodeEnvelope, Topics } from '@sangam/messaging';
import type { TopicNames } from '../src/projections/projection';
import type { TopicEvent } from './reporting-events';

/** Stands in for groups, lending and bank-linkage: produces their envelopes to the real topics. */
export class ReportingPublisher {
  private constructor(private readonly producer: Producer) {}

  static async connect(): Promise<ReportingPublisher> {
    const producer = createKafka({ clientId: 'sangam-reporting-test', brokers: brokersFromEnv() }).producer({
      idempotent: true,
      maxInFlightRequests: 1,
    });
    await producer.connect();
    return new ReportingPublisher(producer);
  }

  /** Each topic's events in the order given, topics one after the other in the order they first appear. */
  async publish(events: readonly TopicEvent[], topicNames: TopicNames = Topics): Promise<void> {
    const topics = [...new Set(events.map((e) => e.topic))];
    for (const topic of topics) {
      const messages = events.filter((e) => e.topic === topic).map((e) => encodeEnvelope(e.envelope));
      await this.producer.send({ topic: topicNames[topic], acks: -1, messages });
    }
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }
}
