import { Kafka, logLevel, type LogEntry } from 'kafkajs';

export interface KafkaSettings {
  brokers: string[];
  clientId: string;
}

export const brokersFromEnv = (value = process.env.KAFKA_BROKERS): string[] =>
  (value || '127.0.0.1:9092').split(',').map((b) => b.trim()).filter(Boolean);

type Log = (level: 'error' | 'warn' | 'info' | 'debug', entry: Record<string, unknown>, message: string) => void;

const levelNames = { [logLevel.ERROR]: 'error', [logLevel.WARN]: 'warn', [logLevel.INFO]: 'info', [logLevel.DEBUG]: 'debug', [logLevel.NOTHING]: 'debug' } as const;

/** kafkajs logs through the service's structured logger instead of its own console JSON. */
export function createKafka(settings: KafkaSettings, log?: Log): Kafka {
  // We want the Java-compatible default partitioner of kafkajs 2; the warning only announces it.
  process.env.KAFKAJS_NO_PARTITIONER_WARNING ??= '1';
  return new Kafka({
    clientId: settings.clientId,
    brokers: settings.brokers,
    logLevel: logLevel.WARN,
    logCreator: () => ({ namespace, level, log: entry }: LogEntry) => {
      const { message, ...rest } = entry;
      if (log) log(levelNames[level], { namespace, ...rest }, message);
      else if (level <= logLevel.ERROR) console.error(`[kafkajs] ${namespace}: ${message}`);
    },
  });
}
