import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { MessagingMigrations } from '@sangam/messaging';
import { DEFAULT_DATABASE_URL, openDatabase, type MigrationClass } from '@sangam/platform';
import { EventStoreMigrations } from '@sangam/event-store';
import { dropDatabase } from './drop-databases';

/** A throw-away database with the event store and consumer tables, dropped by `close`. */
export async function openScratchDatabase(
  label: string,
  poolSize = 60,
  migrations: MigrationClass[] = [],
): Promise<{ dataSource: DataSource; name: string; close: () => Promise<void> }> {
  const base = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
  const name = `sangam_test_${label}_${randomUUID().slice(0, 8)}`;
  const dataSource = await openDatabase(base, name, [...EventStoreMigrations, ...MessagingMigrations, ...migrations], poolSize);
  return {
    dataSource,
    name,
    close: async () => {
      await dataSource.destroy();
      await dropDatabase(name);
    },
  };
}
