import { ConfigResourceTypes, type Admin, type ITopicConfig, type Kafka } from 'kafkajs';
import { Topics, type Topic } from '@sangam/contracts';

// The names belong to the published language; re-exported for the machinery that creates and reads the topics.
export { Topics, type Topic };

export const ALL_TOPICS: readonly Topic[] = Object.values(Topics);

export const deadLetterTopic = (topic: string): string => `${topic}.dlq`;

/** How long a dead letter is kept unless KAFKA_DLQ_RETENTION_MS says otherwise: 30 days. */
export const DEFAULT_DLQ_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;

export interface TopicSettings {
  /** Copies of each partition. Default: the number of brokers the cluster has, at most 3 (1 on a single broker). */
  replicationFactor?: number;
  /** Copies that must have a write before it is acknowledged (producers send acks=all). Default: 2 from three copies, else 1. */
  minInsyncReplicas?: number;
  /** `retention.ms` of dead-letter topics; -1 keeps them forever. Default: 30 days. */
  deadLetterRetentionMs?: number;
}

/** KAFKA_REPLICATION_FACTOR, KAFKA_MIN_INSYNC_REPLICAS and KAFKA_DLQ_RETENTION_MS (validated by the services' config). */
export function topicSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): TopicSettings {
  const number = (name: string, min: number): number | undefined => {
    const raw = env[name];
    if (raw === undefined || raw === '') return undefined;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be a whole number >= ${min}, got '${raw}'`);
    return value;
  };
  return {
    replicationFactor: number('KAFKA_REPLICATION_FACTOR', 1),
    minInsyncReplicas: number('KAFKA_MIN_INSYNC_REPLICAS', 1),
    deadLetterRetentionMs: number('KAFKA_DLQ_RETENTION_MS', -1),
  };
}

/**
 * The replication of new topics on this cluster: a single broker keeps one copy and no topic
 * setting (as it always did); three or more brokers keep three copies and acknowledge a write
 * once two have it, so one broker may die without losing an acknowledged event.
 */
export async function replicationFor(
  admin: Admin,
  settings: TopicSettings = topicSettingsFromEnv(),
): Promise<Pick<ITopicConfig, 'replicationFactor' | 'configEntries'>> {
  const replicationFactor = settings.replicationFactor ?? Math.min(3, (await admin.describeCluster()).brokers.length);
  const minInsyncReplicas = settings.minInsyncReplicas ?? (replicationFactor >= 3 ? 2 : 1);
  if (minInsyncReplicas > replicationFactor) {
    throw new Error(
      `min.insync.replicas ${minInsyncReplicas} is more than the replication factor ${replicationFactor}: no write could be acknowledged`,
    );
  }
  return {
    replicationFactor,
    configEntries: replicationFactor > 1 ? [{ name: 'min.insync.replicas', value: String(minInsyncReplicas) }] : [],
  };
}

/**
 * Creates topics and waits until the brokers know them. kafkajs's own wait (`waitForLeaders`)
 * asks one broker and gives up on "unknown topic" when that broker has not yet applied the new
 * topic, which happens on a cluster of several brokers; a consumer subscribing then fails the
 * same way. So this asks again until the topics have leaders in several answers in a row, with
 * every broker connected (kafkajs asks a random connected broker each time).
 */
export async function createTopicsAndWait(admin: Admin, topics: ITopicConfig[], timeoutMs = 30_000): Promise<void> {
  await admin.createTopics({ waitForLeaders: false, topics });
  const names = topics.map((t) => t.topic);
  const { brokers } = await admin.describeCluster();
  if (brokers.length > 1) {
    // Broker resources are described by each broker itself: this connects the admin to all of them.
    await admin.describeConfigs({
      includeSynonyms: false,
      resources: brokers.map((b) => ({ type: ConfigResourceTypes.BROKER, name: String(b.nodeId), configNames: ['broker.id'] })),
    });
  }
  const wantedInARow = brokers.length > 1 ? 4 * brokers.length : 1;
  const deadline = Date.now() + timeoutMs;
  for (let inARow = 0; inARow < wantedInARow;) {
    try {
      const { topics: found } = await admin.fetchTopicMetadata({ topics: names });
      const led = found.length === names.length && found.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0));
      inARow = led ? inARow + 1 : 0;
    } catch (error) {
      if (!['UNKNOWN_TOPIC_OR_PARTITION', 'LEADER_NOT_AVAILABLE'].includes((error as { type?: string }).type ?? '')) throw error;
      inARow = 0;
    }
    if (inARow >= wantedInARow) return;
    if (Date.now() > deadline) throw new Error(`topics ${names.join(', ')} are not known to every broker after ${timeoutMs} ms`);
    if (inARow === 0) await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Creates the contract's topics and their dead-letter topics where missing. */
export async function ensureTopics(kafka: Kafka, partitions: number, settings: TopicSettings = topicSettingsFromEnv()): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const wanted = ALL_TOPICS.flatMap((topic) => [topic, deadLetterTopic(topic)]).filter((t) => !existing.has(t));
    if (wanted.length > 0) {
      const { replicationFactor, configEntries = [] } = await replicationFor(admin, settings);
      const deadLetterRetention = { name: 'retention.ms', value: String(settings.deadLetterRetentionMs ?? DEFAULT_DLQ_RETENTION_MS) };
      await createTopicsAndWait(
        admin,
        wanted.map((topic) => ({
          topic,
          numPartitions: partitions,
          replicationFactor,
          configEntries: topic.endsWith('.dlq') ? [...configEntries, deadLetterRetention] : configEntries,
        })),
      );
    }
  } finally {
    await admin.disconnect();
  }
}
