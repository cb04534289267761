import { randomUUID } from 'node:crypto';
import type { Kafka, KafkaMessage } from 'kafkajs';
import { createKafka, createTopicsAndWait, deadLetterTopic } from '@sangam/messaging';

export const testKafka = (): Kafka =>
  createKafka({ clientId: 'sangam-test', brokers: (process.env.KAFKA_BROKERS || '127.0.0.1:9092').split(',') });

/** A topic (and its dead-letter topic) of its own for one test. */
export async function createScratchTopic(kafka: Kafka, label: string, partitions = 6): Promise<string> {
  const topic = `test.${label}.${randomUUID().slice(0, 8)}`;
  const admin = kafka.admin();
  await admin.connect();
  try {
    await createTopicsAndWait(
      admin,
      [topic, deadLetterTopic(topic)].map((t) => ({ topic: t, numPartitions: partitions, replicationFactor: 1 })),
    );
  } finally {
    await admin.disconnect();
  }
  return topic;
}

export async function deleteScratchTopic(kafka: Kafka, topic: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics: [topic, deadLetterTopic(topic)] }).catch(() => undefined);
  await admin.disconnect();
}

/** Reads a topic from the beginning until `count` messages arrived (or fails after the timeout). */
export async function readMessages(kafka: Kafka, topic: string, count: number, timeoutMs = 60000): Promise<KafkaMessage[]> {
  const consumer = kafka.consumer({ groupId: `reader-${randomUUID()}`, maxBytesPerPartition: 4 << 20 });
  const messages: KafkaMessage[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`read ${messages.length} of ${count} messages from ${topic}`)), timeoutMs);
      void consumer.run({
        eachBatch: async ({ batch }) => {
          messages.push(...batch.messages);
          if (messages.length >= count) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return messages;
}
