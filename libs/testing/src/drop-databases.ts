import { Client } from 'pg';
// Relative, not @sangam/platform: Jest's global setup loads this, and the platform's index would load Nest with it.
import { DEFAULT_DATABASE_URL } from '../../platform/src/config/database-default';
import { databaseUrl } from '../../platform/src/database/database';

/** A LIKE pattern matching `name` only (its `_`, `%` and `\` taken literally). */
export const literally = (name: string): string => name.replace(/[\\_%]/g, '\\$&');

/** A LIKE pattern matching the names that start with `prefix`. */
export const startingWith = (prefix: string): string => `${literally(prefix)}%`;

/** Drops every database whose name matches the LIKE `pattern`, forcing out whoever is still connected. */
export async function dropDatabasesLike(pattern: string): Promise<void> {
  const admin = new Client({ connectionString: databaseUrl(process.env.DATABASE_URL || DEFAULT_DATABASE_URL, 'postgres') });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [pattern]);
    for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
