import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { createKafka, ensureTopics } from '../../messaging/src';

/**
 * Once per `npm test`: the local broker is started if needed (a no-op when one runs or
 * KAFKA_BROKERS is set) and the topics exist. Suites use their own databases and unique ids,
 * so runs never need a reset.
 */
export default async function globalSetup(): Promise<void> {
  execFileSync('bash', [join(__dirname, '../../../infra/kafka/kafka.sh'), 'start'], { stdio: 'inherit' });
  const kafka = createKafka({ clientId: 'sangam-test-setup', brokers: (process.env.KAFKA_BROKERS || '127.0.0.1:9092').split(',') });
  await ensureTopics(kafka, Number(process.env.KAFKA_PARTITIONS || 6));
}
