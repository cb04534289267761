import type { IHeaders, Kafka } from 'kafkajs';
import { DeadLetterHeaders } from './dead-letters';
import { headerText } from './envelope';
import { readTopicToEnd } from './read-to-end';
import { ALL_TOPICS, createTopicsAndWait, deadLetterTopic, replicationFor } from './topics';

/** Where re-drives are recorded (compacted, keyed by dead letter id), so `list` can say what was re-driven. */
export const REDRIVE_LOG_TOPIC = 'sangam.dead-letters.redriven';

export interface DeadLetterEntry {
  /** `<dlq topic>:<partition>:<offset>` */
  id: string;
  consumer: string;
  error: string;
  sourceTopic: string;
  sourcePartition: number;
  sourceOffset: string;
  failedAt: string;
  eventType: string | null;
  eventId: string | null;
  key: string | null;
  value: string | null;
  headers: IHeaders;
  redrivenAt: string | null;
}

async function ensureRedriveLog(kafka: Kafka): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    if (!(await admin.listTopics()).includes(REDRIVE_LOG_TOPIC)) {
      const { replicationFactor, configEntries = [] } = await replicationFor(admin);
      await createTopicsAndWait(admin, [
        {
          topic: REDRIVE_LOG_TOPIC,
          numPartitions: 1,
          replicationFactor,
          configEntries: [...configEntries, { name: 'cleanup.policy', value: 'compact' }],
        },
      ]);
    }
  } finally {
    await admin.disconnect();
  }
}

export async function listDeadLetters(kafka: Kafka, topics: readonly string[] = ALL_TOPICS): Promise<DeadLetterEntry[]> {
  await ensureRedriveLog(kafka);
  const redriven = new Map(
    (await readTopicToEnd(kafka, REDRIVE_LOG_TOPIC)).map(({ message }) => [
      message.key?.toString() ?? '',
      message.value?.toString() ?? null,
    ]),
  );
  const entries: DeadLetterEntry[] = [];
  for (const topic of topics.map(deadLetterTopic)) {
    for (const { partition, message } of await readTopicToEnd(kafka, topic)) {
      const id = `${topic}:${partition}:${message.offset}`;
      const header = (name: string) => headerText(message.headers, name) ?? null;
      entries.push({
        id,
        consumer: header(DeadLetterHeaders.consumer) ?? 'unknown',
        error: header(DeadLetterHeaders.error) ?? '',
        sourceTopic: header(DeadLetterHeaders.sourceTopic) ?? topic.replace(/\.dlq$/, ''),
        sourcePartition: Number(header(DeadLetterHeaders.sourcePartition) ?? -1),
        sourceOffset: header(DeadLetterHeaders.sourceOffset) ?? '',
        failedAt: header(DeadLetterHeaders.failedAt) ?? '',
        eventType: header('type'),
        eventId: header('eventId'),
        key: message.key?.toString() ?? null,
        value: message.value?.toString() ?? null,
        headers: message.headers ?? {},
        redrivenAt: redriven.get(id) ?? null,
      });
    }
  }
  return entries;
}

/**
 * Sends a dead letter back to its source topic with its original key, value and headers.
 * Every consumer of the topic sees it again; those that applied it already skip it by its
 * eventId, so only the consumer that failed (after its fix) applies it.
 */
export async function redriveDeadLetter(kafka: Kafka, entry: DeadLetterEntry): Promise<void> {
  const headers = Object.fromEntries(
    Object.entries(entry.headers).filter(([name]) => !Object.values(DeadLetterHeaders).includes(name as never)),
  );
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    await producer.send({ topic: entry.sourceTopic, acks: -1, messages: [{ key: entry.key, value: entry.value, headers }] });
    await producer.send({ topic: REDRIVE_LOG_TOPIC, acks: -1, messages: [{ key: entry.id, value: new Date().toISOString() }] });
  } finally {
    await producer.disconnect();
  }
}
