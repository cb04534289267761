import { Client } from 'pg';
import { DataSource, type DataSourceOptions, type MigrationInterface } from 'typeorm';

/** A TypeORM migration, as services list theirs. */
export type MigrationClass = new () => MigrationInterface;

/** The URL of one database on the server that `baseUrl` names (any database in it is replaced). */
export function databaseUrl(baseUrl: string, database: string): string {
  const url = new URL(baseUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Creates the database if it is missing; safe when several processes race to create it. */
export async function ensureDatabase(baseUrl: string, database: string): Promise<void> {
  const client = new Client({ connectionString: databaseUrl(baseUrl, 'postgres') });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (rowCount === 0) {
      await client.query(`CREATE DATABASE "${database.replace(/"/g, '')}"`).catch((error: { code?: string }) => {
        if (error.code !== '42P04' && error.code !== '23505') throw error;
      });
    }
  } finally {
    await client.end();
  }
}

/**
 * How long to wait for a connection (also a free one from the pool) and for one statement.
 * DATABASE_CONNECT_TIMEOUT_MS and DATABASE_STATEMENT_TIMEOUT_MS override them (validated with the
 * rest of the configuration).
 */
export const DATABASE_TIMEOUTS = {
  connectMs: Number(process.env.DATABASE_CONNECT_TIMEOUT_MS || 3_000),
  statementMs: Number(process.env.DATABASE_STATEMENT_TIMEOUT_MS || 30_000),
};

export const postgresOptions = (url: string, migrations: MigrationClass[], poolSize = 10): DataSourceOptions => ({
  type: 'postgres',
  url,
  migrations,
  synchronize: false,
  migrationsRun: false,
  migrationsTableName: 'migrations',
  extra: {
    max: poolSize,
    // While Postgres is down or unreachable a request fails within seconds (503), never hangs.
    connectionTimeoutMillis: DATABASE_TIMEOUTS.connectMs,
    statement_timeout: DATABASE_TIMEOUTS.statementMs,
    idle_in_transaction_session_timeout: DATABASE_TIMEOUTS.statementMs * 2,
  },
});

const MIGRATION_LOCK = 727_000;

/** Runs pending migrations under an advisory lock, so instances starting together do not collide. */
export async function runMigrations(dataSource: DataSource): Promise<void> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await runner.release();
  }
}

/** Ensures the database exists, connects and migrates it. */
export async function openDatabase(
  baseUrl: string,
  database: string,
  migrations: MigrationClass[],
  poolSize?: number,
): Promise<DataSource> {
  await ensureDatabase(baseUrl, database);
  const dataSource = await new DataSource(postgresOptions(databaseUrl(baseUrl, database), migrations, poolSize)).initialize();
  await runMigrations(dataSource);
  return dataSource;
}
