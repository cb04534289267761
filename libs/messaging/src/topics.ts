import type { Kafka } from 'kafkajs';

export const Topics = {
  groups: 'sangam.groups.events',
  lending: 'sangam.lending.events',
  bankLinkage: 'sangam.bank-linkage.events',
} as const;

export type Topic = (typeof Topics)[keyof typeof Topics];

export const ALL_TOPICS: readonly Topic[] = Object.values(Topics);

export const deadLetterTopic = (topic: string): string => `${topic}.dlq`;

/** Creates the contract's topics and their dead-letter topics where missing. */
export async function ensureTopics(kafka: Kafka, partitions: number): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const wanted = ALL_TOPICS.flatMap((topic) => [topic, deadLetterTopic(topic)]).filter((t) => !existing.has(t));
    if (wanted.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: wanted.map((topic) => ({ topic, numPartitions: partitions, replicationFactor: 1 })),
      });
    }
  } finally {
    await admin.disconnect();
  }
}
