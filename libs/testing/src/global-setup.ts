// Jest's global setup runs outside its module mapper: the libs' `@sangam/*` imports resolve through tsconfig.json.
import 'tsconfig-paths/register';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createKafka, ensureTopics } from '../../messaging/src';
import { dropDatabasesLike, startingWith } from './drop-databases';

/**
 * Every database a test creates starts with this (see TEST_DATABASE_PREFIX); a developer's own are
 * never touched. What an earlier run left in them must not leak into this one (rows it sealed with
 * another checkout's key, say), so every run starts without them; suites create theirs.
 */
const dropTestDatabases = () => dropDatabasesLike(startingWith('sangam_test_'));

/** `infra/<name>/<name>.sh start`: a no-op when it already answers or an external one is configured. */
function startLocal(name: 'kafka' | 'keycloak'): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [join(__dirname, `../../../infra/${name}/${name}.sh`), 'start'], { stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`infra/${name}/${name}.sh start failed (exit ${code})`))));
  });
}

/**
 * Once per `npm test`: the test databases are dropped, the local broker and Keycloak are started
 * if needed (each a no-op when one answers, or KAFKA_BROKERS / KEYCLOAK_URL is set) and the
 * topics exist. Two test runs at once on one Postgres would drop each other's databases.
 */
export default async function globalSetup(): Promise<void> {
  await Promise.all([dropTestDatabases(), startLocal('kafka'), startLocal('keycloak')]);
  const kafka = createKafka({ clientId: 'sangam-test-setup', brokers: (process.env.KAFKA_BROKERS || '127.0.0.1:9092').split(',') });
  await ensureTopics(kafka, Number(process.env.KAFKA_PARTITIONS || 6));
}
