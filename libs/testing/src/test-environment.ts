import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { Client } from 'pg';
import { decodeEnvelope, type EventEnvelope } from '@sangam/messaging';
import {
  createServiceApp,
  DEFAULT_DATABASE_URL,
  loadServiceConfig,
  type ServiceConfig,
  type ServiceName,
  type StartOptions,
} from '@sangam/platform';
import { testKafka } from './scratch-topic';

/** Tests use their own databases (sangam_test_*) so that a developer's data is never touched. */
export const TEST_DATABASE_PREFIX = 'sangam_test';

/** A suite passes its own prefix (e.g. `sangam_test_saga`) to get databases and consumer groups of its own. */
export const testConfig = (
  service: ServiceName,
  overrides: Partial<ServiceConfig> = {},
  databasePrefix = TEST_DATABASE_PREFIX,
): ServiceConfig => ({
  ...loadServiceConfig(service, { ...process.env, DATABASE_NAME_PREFIX: databasePrefix, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' }),
  port: 0,
  ...overrides,
});

export interface RunningService {
  app: INestApplication;
  config: ServiceConfig;
  url: string;
  stop: () => Promise<void>;
}

/** Starts one service in this process on a free port, against the real database and broker. */
export async function startService(
  service: ServiceName,
  moduleFor: (config: ServiceConfig) => unknown,
  options: StartOptions & { config?: Partial<ServiceConfig>; databasePrefix?: string } = {},
): Promise<RunningService> {
  const config = testConfig(service, options.config, options.databasePrefix);
  const app = await createServiceApp(moduleFor(config), config, { ...options, listen: false });
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  return { app, config, url: `http://127.0.0.1:${address.port}`, stop: () => app.close() };
}

/** A plain database client for a test to look at a service's tables. */
export async function connectTestDatabase(name: string): Promise<Client> {
  const url = new URL(process.env.DATABASE_URL || DEFAULT_DATABASE_URL);
  url.pathname = `/${name}`;
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  return client;
}

/** Before any event a test of this file can have caused (jest loads this module afresh for each test file). */
const TEST_FILE_STARTED_AT = Date.now() - 60_000;

/**
 * Reads a topic with a throw-away group, from the events written since this test file started
 * (the shared topics keep every earlier run's events), until `done` says it has seen enough.
 */
export async function collectFromTopic(
  topic: string,
  done: (envelopes: EventEnvelope[]) => boolean,
  filter: (envelope: EventEnvelope) => boolean = () => true,
  timeoutMs = 30000,
): Promise<EventEnvelope[]> {
  const groupId = `test-${randomUUID()}`;
  const admin = testKafka().admin();
  await admin.connect();
  try {
    await admin.setOffsets({ groupId, topic, partitions: await admin.fetchTopicOffsetsByTimestamp(topic, TEST_FILE_STARTED_AT) });
  } finally {
    await admin.disconnect();
  }
  const consumer = testKafka().consumer({ groupId });
  const seen: EventEnvelope[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out reading ${topic}: saw ${seen.length} matching events`)), timeoutMs);
      void consumer.run({
        eachMessage: async ({ message }) => {
          const envelope = decodeEnvelope(message);
          if (!filter(envelope)) return;
          seen.push(envelope);
          if (done(seen)) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return seen;
}
