import { randomUUID } from 'node:crypto';
import type { Kafka, KafkaMessage } from 'kafkajs';

export interface TopicMessage {
  topic: string;
  partition: number;
  message: KafkaMessage;
}

/** Every message a topic holds right now, read with a throw-away consumer group. */
export async function readTopicToEnd(kafka: Kafka, topic: string): Promise<TopicMessage[]> {
  const admin = kafka.admin();
  await admin.connect();
  const groupId = `sangam-reader-${randomUUID()}`;
  try {
    const ends = new Map(
      (await admin.fetchTopicOffsets(topic)).filter((p) => BigInt(p.high) > BigInt(p.low)).map((p) => [p.partition, BigInt(p.high)]),
    );
    if (ends.size === 0) return [];
    const consumer = kafka.consumer({ groupId });
    const messages: TopicMessage[] = [];
    await consumer.connect();
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        consumer
          .run({
            eachBatch: async ({ batch }) => {
              for (const message of batch.messages) {
                if (BigInt(message.offset) < ends.get(batch.partition)!) messages.push({ topic, partition: batch.partition, message });
              }
              if (BigInt(batch.lastOffset()) + 1n >= (ends.get(batch.partition) ?? 0n)) ends.delete(batch.partition);
              if (ends.size === 0) resolve();
            },
          })
          .catch(reject);
      });
    } finally {
      await consumer.disconnect();
    }
    return messages.sort((a, b) => a.partition - b.partition || Number(BigInt(a.message.offset) - BigInt(b.message.offset)));
  } finally {
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
  }
}
