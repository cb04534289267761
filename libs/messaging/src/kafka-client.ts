import { readFileSync } from 'node:fs';
import { Kafka, logLevel, type LogEntry, type SASLOptions } from 'kafkajs';

export interface KafkaSettings {
  brokers: string[];
  clientId: string;
  /** TLS to the brokers: true for the system's CAs, or the CAs to trust. Default: from the environment (kafkaSecurityFromEnv). */
  ssl?: boolean | { ca: string[] };
  sasl?: SASLOptions;
}

export const brokersFromEnv = (value = process.env.KAFKA_BROKERS): string[] =>
  (value || '127.0.0.1:9092')
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);

export const SASL_MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512'] as const;

/**
 * TLS and SASL for a managed cluster, from KAFKA_SSL (on|off), KAFKA_SSL_CA_FILE (PEM of the CAs
 * to trust instead of the system's; implies KAFKA_SSL=on), KAFKA_SASL_MECHANISM (plain,
 * scram-sha-256, scram-sha-512), KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD. Nothing set: plain
 * TCP, as the local broker wants. The services validate these at start (service-config.ts).
 */
export function kafkaSecurityFromEnv(env: NodeJS.ProcessEnv = process.env): Pick<KafkaSettings, 'ssl' | 'sasl'> {
  const security: Pick<KafkaSettings, 'ssl' | 'sasl'> = {};
  if (env.KAFKA_SSL_CA_FILE) security.ssl = { ca: [readFileSync(env.KAFKA_SSL_CA_FILE, 'utf8')] };
  else if (env.KAFKA_SSL === 'on') security.ssl = true;
  const mechanism = env.KAFKA_SASL_MECHANISM;
  if (mechanism) {
    if (!(SASL_MECHANISMS as readonly string[]).includes(mechanism))
      throw new Error(`KAFKA_SASL_MECHANISM must be one of ${SASL_MECHANISMS.join(', ')}`);
    if (!env.KAFKA_SASL_USERNAME || !env.KAFKA_SASL_PASSWORD)
      throw new Error('KAFKA_SASL_MECHANISM needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD');
    security.sasl = { mechanism, username: env.KAFKA_SASL_USERNAME, password: env.KAFKA_SASL_PASSWORD } as SASLOptions;
  }
  return security;
}

type Log = (level: 'error' | 'warn' | 'info' | 'debug', entry: Record<string, unknown>, message: string) => void;

const levelNames = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
  [logLevel.NOTHING]: 'debug',
} as const;

/** kafkajs logs through the service's structured logger instead of its own console JSON. */
export function createKafka(settings: KafkaSettings, log?: Log): Kafka {
  // We want the Java-compatible default partitioner of kafkajs 2; the warning only announces it.
  process.env.KAFKAJS_NO_PARTITIONER_WARNING ??= '1';
  const security = 'ssl' in settings || 'sasl' in settings ? settings : kafkaSecurityFromEnv();
  return new Kafka({
    clientId: settings.clientId,
    brokers: settings.brokers,
    ...(security.ssl ? { ssl: security.ssl } : {}),
    ...(security.sasl ? { sasl: security.sasl } : {}),
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ namespace, level, log: entry }: LogEntry) => {
        const { message, ...rest } = entry;
        if (log) log(levelNames[level], { namespace, ...rest }, message);
        else if (level <= logLevel.ERROR) console.error(`[kafkajs] ${namespace}: ${message}`);
      },
  });
}
