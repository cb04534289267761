import { createKafka, ensureTopics, Topics } from '@sangam/messaging';
import { openDatabase, serviceMigrations, type ServiceConfig } from '@sangam/platform';
import type { ProjectionContext } from '../projections/projection-context';
import type { TopicNames } from '../projections/projection';
import { REPORTING_STORAGE } from '../reporting.module';

export interface ReplayContext {
  context: ProjectionContext;
  close(): Promise<void>;
}

/** Connects to the reporting database and the broker the way the service does, outside of it. */
export async function openReplayContext(config: ServiceConfig, topics: TopicNames = Topics): Promise<ReplayContext> {
  const dataSource = await openDatabase(config.databaseUrl, config.databaseName, serviceMigrations(REPORTING_STORAGE));
  const kafka = createKafka({ clientId: 'sangam-reporting-replay', brokers: config.kafkaBrokers });
  await ensureTopics(kafka, config.kafkaPartitions);
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  const admin = kafka.admin();
  await Promise.all([producer.connect(), admin.connect()]);
  return {
    context: {
      dataSource,
      kafka,
      admin,
      producer,
      groupPrefix: config.databaseName,
      topics,
      log: (level, message, details) => {
        if (level !== 'info') console.error(`[${level}] ${message} ${JSON.stringify(details ?? {})}`);
      },
    },
    close: async () => {
      await Promise.all([producer.disconnect(), admin.disconnect()]);
      await dataSource.destroy();
    },
  };
}
