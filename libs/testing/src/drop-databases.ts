import { Client } from 'pg';
// Relative, not @sangam/platform: Jest's global setup loads this, and the platform's index would load Nest with it.
import { DEFAULT_DATABASE_URL } from '../../platform/src/config/database-default';
import { databaseUrl } from '../../platform/src/database/database';

/** A LIKE pattern matching the names that start with `prefix` (its `_`, `%` and `\` taken literally). */
export const startingWith = (prefix: string): string => `${prefix.replace(/[\\_%]/g, '\\$&')}%`;

async function asAdmin(work: (admin: Client) => Promise<void>): Promise<void> {
  const admin = new Client({ connectionString: databaseUrl(process.env.DATABASE_URL || DEFAULT_DATABASE_URL, 'postgres') });
  await admin.connect();
  try {
    await work(admin);
  } finally {
    await admin.end();
  }
}

const drop = (admin: Client, name: string) => admin.query(`DROP DATABASE IF EXISTS ${admin.escapeIdentifier(name)} WITH (FORCE)`);

/** Drops the database, forcing out whoever is still connected. */
export const dropDatabase = (name: string): Promise<void> => asAdmin(async (admin) => void (await drop(admin, name)));

/** Drops every database whose name matches the LIKE `pattern`, forcing out whoever is still connected. */
export const dropDatabasesLike = (pattern: string): Promise<void> =>
  asAdmin(async (admin) => {
    const { rows } = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [pattern]);
    for (const { datname } of rows) await drop(admin, datname);
  });
