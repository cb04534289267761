import { randomUUID } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { Pool } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { getPostgreSQLEventStore } from '@event-driven-io/emmett-postgresql';
import { PostgresEventStore } from '@sangam/event-store';
import { databaseUrl, DEFAULT_DATABASE_URL, ensureDatabase } from '@sangam/platform';
import { dropDatabase, openScratchDatabase } from '@sangam/testing';
import { medianOfRuns, runFor, type Throughput } from './measure';

export interface AppendCase {
  eventsPerAppend: number;
  writers: number;
}

/** The rows of issue 13's table. */
export const APPEND_CASES: AppendCase[] = [
  { eventsPerAppend: 1, writers: 1 },
  { eventsPerAppend: 1, writers: 16 },
  { eventsPerAppend: 10, writers: 8 },
  { eventsPerAppend: 100, writers: 8 },
];

/** Each writer cycles over streams of its own, so writers never conflict and most appends extend an existing stream. */
const STREAMS_PER_WRITER = 50;

type AppendFn = (streamId: string, expectedVersion: number, eventsPerAppend: number) => Promise<void>;

interface Appender {
  name: string;
  append: AppendFn;
  close: () => Promise<void>;
}

const ticks = (from: number, count: number) =>
  Array.from({ length: count }, (_, i) => ({ type: 'Ticked', data: { n: from + i + 1, note: 'bench' } }));

async function sangamAppender(pool: number): Promise<Appender> {
  const db = await openScratchDatabase('bench_append', pool);
  const store = new PostgresEventStore(db.dataSource);
  const metadata = { correlationId: randomUUID(), causationId: null, actor: { service: 'bench' } };
  return {
    name: 'sangam',
    append: async (streamId, expectedVersion, count) => {
      await store.append({ streamId, streamType: 'bench', expectedVersion, events: ticks(expectedVersion, count) }, metadata);
    },
    close: db.close,
  };
}

/** A database of its own on the same cluster, dropped by the returned function. */
export async function plainDatabase(label: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const base = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
  const name = `sangam_test_${label}_${randomUUID().slice(0, 8)}`;
  await ensureDatabase(base, name);
  return {
    url: databaseUrl(base, name),
    drop: () => dropDatabase(name),
  };
}

async function emmettAppender(poolSize: number): Promise<Appender> {
  const db = await plainDatabase('bench_emmett');
  // A pool as large as Sangam's, so neither waits for connections the other has.
  const pool = new Pool({ connectionString: db.url, max: poolSize });
  const store = getPostgreSQLEventStore(db.url, { connectionOptions: { pooled: true, pool } });
  return {
    name: 'emmett',
    append: async (streamId, expectedVersion, count) => {
      await store.appendToStream(streamId, ticks(expectedVersion, count), { expectedStreamVersion: BigInt(expectedVersion) });
    },
    close: async () => {
      await store.close();
      await pool.end().catch(() => undefined);
      await db.drop();
    },
  };
}

/** Appends for `seconds` with the case's writers, each over streams of its own. */
async function measureAppends(appender: Appender, { eventsPerAppend, writers }: AppendCase, seconds: number): Promise<Throughput> {
  const run = randomUUID().slice(0, 8);
  const streams = Array.from({ length: writers }, (_, w) =>
    Array.from({ length: STREAMS_PER_WRITER }, (_, s) => ({ id: `bench-${run}-${w}-${s}`, version: 0 })),
  );
  const turns = new Array<number>(writers).fill(0);
  return runFor(seconds, writers, async (writer) => {
    const stream = streams[writer][turns[writer]++ % STREAMS_PER_WRITER];
    await appender.append(stream.id, stream.version, eventsPerAppend);
    stream.version += eventsPerAppend;
    return eventsPerAppend;
  });
}

export interface AppendCaseResult extends AppendCase {
  sangam: Throughput;
  emmett?: Throughput;
  /** sangam / emmett events per second. */
  ratio?: number;
}

export interface RawPostgresResult {
  /** Autocommitted one-row INSERTs of an event-sized row, 16 writers. */
  insertRowsPerSecond16Writers: number;
  /** COPY of the same rows over one connection. */
  copyRowsPerSecond: number;
}

/**
 * The append rows of issue 13: Sangam's store and, with `compare`, Emmett's `appendToStream` on
 * the same cluster in the same run, alternating case by case; medians of three runs.
 */
export async function benchAppends(compare: boolean, seconds = Number(process.env.BENCH_APPEND_SECONDS ?? 3)): Promise<AppendCaseResult[]> {
  const poolSize = Math.max(...APPEND_CASES.map((c) => c.writers)) + 2;
  const appenders = [await sangamAppender(poolSize), ...(compare ? [await emmettAppender(poolSize)] : [])];
  try {
    for (const appender of appenders) await measureAppends(appender, { eventsPerAppend: 1, writers: 4 }, 1); // warm-up
    const runs = new Map<string, Throughput[]>();
    for (let round = 0; round < 3; round++) {
      for (const [index, appendCase] of APPEND_CASES.entries()) {
        for (const appender of appenders) {
          const key = `${index}:${appender.name}`;
          runs.set(key, [...(runs.get(key) ?? []), await measureAppends(appender, appendCase, seconds)]);
        }
      }
    }
    return APPEND_CASES.map((appendCase, index) => {
      const sangam = medianOfRuns(runs.get(`${index}:sangam`)!);
      if (!compare) return { ...appendCase, sangam };
      const emmett = medianOfRuns(runs.get(`${index}:emmett`)!);
      return { ...appendCase, sangam, emmett, ratio: Math.round((sangam.perSecond / emmett.perSecond) * 100) / 100 };
    });
  } finally {
    for (const appender of appenders) await appender.close();
  }
}

const RAW_TABLE = `CREATE TABLE raw_events (
  global_position bigserial PRIMARY KEY, stream_id text NOT NULL, type text NOT NULL, data jsonb NOT NULL, recorded_at timestamptz NOT NULL DEFAULT now())`;

/** The ceiling Postgres itself sets on this machine: plain one-row INSERTs, and COPY; medians of three. */
export async function benchRawPostgres(seconds = Number(process.env.BENCH_APPEND_SECONDS ?? 3)): Promise<RawPostgresResult> {
  const db = await plainDatabase('bench_raw');
  const pool = new Pool({ connectionString: db.url, max: 18 });
  try {
    await pool.query(RAW_TABLE);
    const data = JSON.stringify({ n: 1, note: 'bench' });
    const inserts = async () =>
      (
        await runFor(seconds, 16, async (writer) => {
          await pool.query(`INSERT INTO raw_events (stream_id, type, data) VALUES ($1, 'Ticked', $2)`, [`raw-${writer}`, data]);
          return 1;
        })
      ).perSecond;
    const copies = async () => {
      const rows = 100_000;
      const client = await pool.connect();
      try {
        const started = process.hrtime.bigint();
        const lines = (function* () {
          for (let i = 0; i < rows; i++) yield `raw-${i % 16}\tTicked\t${data}\n`;
        })();
        await pipeline(Readable.from(lines), client.query(copyFrom(`COPY raw_events (stream_id, type, data) FROM STDIN`)));
        return Math.round(rows / (Number(process.hrtime.bigint() - started) / 1e9));
      } finally {
        client.release();
      }
    };
    const runs = [];
    for (let round = 0; round < 3; round++) runs.push({ insertRowsPerSecond16Writers: await inserts(), copyRowsPerSecond: await copies() });
    return medianOfRuns(runs);
  } finally {
    await pool.end();
    await db.drop();
  }
}
