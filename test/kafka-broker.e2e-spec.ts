import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { createScratchTopic, deleteScratchTopic, readMessages, testKafka } from '@sangam/testing';

const root = join(__dirname, '..');
const pinnedVersion = /<kafka.version>(.+)<\/kafka.version>/.exec(readFileSync(join(root, 'infra/kafka/pom.xml'), 'utf8'))![1];

describe('the Kafka broker kafkajs runs against', () => {
  const kafka = testKafka();

  const pidFile = join(root, '.cache/kafka/broker.pid');
  if (!process.env.KAFKA_BROKERS && existsSync(pidFile)) {
    it(`is Apache Kafka ${pinnedVersion}, the release infra/kafka pins`, () => {
      const commandLine = readFileSync(`/proc/${readFileSync(pidFile, 'utf8').trim()}/cmdline`, 'utf8').split('\0');
      expect(commandLine).toContain('kafka.Kafka');
      const libs = join(root, `.cache/kafka/${pinnedVersion}/libs`);
      expect(commandLine).toContain(`${libs}/*`);
      expect(existsSync(join(libs, `kafka_2.13-${pinnedVersion}.jar`))).toBe(true);
    });
  }

  it('serves kafkajs admin, the idempotent producer and consumer groups', async () => {
    const topic = await createScratchTopic(kafka, 'compat', 3);
    const admin = kafka.admin();
    await admin.connect();
    try {
      const cluster = await admin.describeCluster();
      expect(cluster.brokers.length).toBeGreaterThanOrEqual(1);
      const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
      await producer.connect();
      const key = randomUUID();
      await producer.send({ topic, acks: -1, messages: [1, 2, 3].map((n) => ({ key, value: String(n), headers: { n: String(n) } })) });
      await producer.disconnect();

      const messages = await readMessages(kafka, topic, 3);
      expect(messages.map((m) => m.value?.toString())).toEqual(['1', '2', '3']);
      expect(messages[2].headers?.n?.toString()).toBe('3');
      const offsets = await admin.fetchTopicOffsets(topic);
      expect(offsets.reduce((sum, p) => sum + Number(p.high), 0)).toBe(3);
    } finally {
      await admin.disconnect();
      await deleteScratchTopic(kafka, topic);
    }
  });
});
