import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { Client } from 'pg';
import { createKafka, ensureTopics } from '@sangam/messaging';
import { DEFAULT_DATABASE_URL } from '@sangam/platform';
import { TEST_DATABASE_PREFIX } from './test-environment';

/**
 * Once per `npm test`: the local broker is started if needed (a no-op when one runs or
 * KAFKA_BROKERS is set), topics exist, and the test databases start empty.
 */
export default async function globalSetup(): Promise<void> {
  execFileSync('bash', [join(__dirname, '../../../infra/kafka/kafka.sh'), 'start'], { stdio: 'inherit' });
  const kafka = createKafka({ clientId: 'sangam-test-setup', brokers: (process.env.KAFKA_BROKERS || '127.0.0.1:9092').split(',') });
  await ensureTopics(kafka, Number(process.env.KAFKA_PARTITIONS || 6));

  const url = new URL(process.env.DATABASE_URL || DEFAULT_DATABASE_URL);
  url.pathname = '/postgres';
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  try {
    const { rows } = await client.query(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [`${TEST_DATABASE_PREFIX}\\_%`]);
    for (const { datname } of rows) await client.query(`DROP DATABASE "${datname}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
