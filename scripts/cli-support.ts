import { SingleBar } from 'cli-progress';
import { DataSource } from 'typeorm';
import { createKafka } from '@sangam/messaging';
import { databaseUrl, postgresOptions, SERVICES, type ServiceConfig, type ServiceName } from '@sangam/platform';

export class UsageError extends Error {}

export function serviceNamed(name: string | undefined): ServiceName {
  if (!name || !(name in SERVICES)) throw new UsageError(`unknown service '${name ?? ''}': one of ${Object.keys(SERVICES).join(', ')}`);
  return name as ServiceName;
}

export function optionValue(args: string[], flag: string): string | undefined {
  const index = args.indexOf(flag);
  if (index === -1) return undefined;
  const value = args[index + 1];
  if (value === undefined || value.startsWith('--')) throw new UsageError(`${flag} needs a value`);
  return value;
}

/** Connects to a service's existing database (never creates or migrates it). */
export async function connectServiceDatabase(config: ServiceConfig): Promise<DataSource> {
  return new DataSource(postgresOptions(databaseUrl(config.databaseUrl, config.databaseName), [], 4)).initialize();
}

export const kafkaFor = (config: ServiceConfig, purpose: string) =>
  createKafka({ clientId: `sangam-${purpose}`, brokers: config.kafkaBrokers });

export const progressBar = (unit: string) =>
  new SingleBar({
    format: `{bar} {percentage}% | {value}/{total} ${unit} | {speed} ${unit}/s | ETA {eta_formatted}`,
    hideCursor: true,
    clearOnComplete: false,
  });

/** Runs a CLI's main, printing usage errors plainly and exiting with a status. */
export function runCli(usage: string, main: (args: string[]) => Promise<void>): void {
  main(process.argv.slice(2)).then(
    () => process.exit(0),
    (error) => {
      if (error instanceof UsageError) console.error(`${error.message}\nusage: ${usage}`);
      else console.error(error instanceof Error ? error.message : error);
      process.exit(error instanceof UsageError ? 2 : 1);
    },
  );
}
