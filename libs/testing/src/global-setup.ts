import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { Client } from 'pg';
import { createKafka, ensureTopics } from '../../messaging/src';
import { DEFAULT_DATABASE_URL } from '../../platform/src/config/database-default';
import { databaseUrl } from '../../platform/src/database/database';

/** Every database a test creates starts with this (see TEST_DATABASE_PREFIX); a developer's own are never touched. */
const TEST_DATABASES = 'sangam\\_test\\_%';

/**
 * What an earlier run left in the test databases must not leak into this one: rows it sealed with
 * another checkout's key, say. So every run starts without them; suites create theirs.
 */
async function dropTestDatabases(): Promise<void> {
  const client = new Client({ connectionString: databaseUrl(process.env.DATABASE_URL || DEFAULT_DATABASE_URL, 'postgres') });
  await client.connect();
  try {
    const { rows } = await client.query(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [TEST_DATABASES]);
    for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

/**
 * Once per `npm test`: the test databases are dropped, the local broker is started if needed (a
 * no-op when one runs or KAFKA_BROKERS is set) and the topics exist. Two test runs at once on
 * one Postgres would drop each other's databases.
 */
export default async function globalSetup(): Promise<void> {
  await dropTestDatabases();
  execFileSync('bash', [join(__dirname, '../../../infra/kafka/kafka.sh'), 'start'], { stdio: 'inherit' });
  const kafka = createKafka({ clientId: 'sangam-test-setup', brokers: (process.env.KAFKA_BROKERS || '127.0.0.1:9092').split(',') });
  await ensureTopics(kafka, Number(process.env.KAFKA_PARTITIONS || 6));
}
