import type { DataSource, QueryRunner } from 'typeorm';
import { PlannerStatistics } from '@sangam/platform';
import { openScratchDatabase, waitFor } from '@sangam/testing';

/** A prepared statement's plan follows its table as the table grows (see PlannerStatistics). */
describe('planner statistics', () => {
  let db: { dataSource: DataSource; close: () => Promise<void> };
  let connection: QueryRunner;
  let statistics: PlannerStatistics;

  beforeAll(async () => {
    db = await openScratchDatabase('planner_statistics', 4);
    statistics = new PlannerStatistics(db.dataSource);
    // Autovacuum off for it (where the cluster runs it): it must not analyse the table before the keeper does.
    await db.dataSource.query(`CREATE TABLE grown (id uuid PRIMARY KEY, body text NOT NULL) WITH (autovacuum_enabled = off)`);
    // A new table with its first rows, analysed as autovacuum does once 50 have changed.
    await insertRows(100);
    await db.dataSource.query(`ANALYZE grown`);
    connection = db.dataSource.createQueryRunner();
    await connection.connect();
    // The plan a prepared statement keeps once Postgres settles on a generic one (queryPrepared's statements).
    await connection.query(`SET plan_cache_mode = force_generic_plan`);
    await connection.query(`PREPARE by_ids(uuid[]) AS SELECT body FROM grown WHERE id = ANY($1)`);
  });
  afterAll(async () => {
    await connection?.release();
    await db?.close();
  });

  const insertRows = (count: number) =>
    db.dataSource.query(`INSERT INTO grown SELECT gen_random_uuid(), repeat('x', 200) FROM generate_series(1, $1)`, [count]);
  const plan = async () =>
    ((await connection.query(`EXPLAIN EXECUTE by_ids('{}')`)) as { 'QUERY PLAN': string }[]).map((row) => row['QUERY PLAN']).join('\n');

  it('analyses a table once it holds twice the rows its statistics say, so the plan made when it was small is made again', async () => {
    expect(await plan()).toMatch(/Seq Scan on grown/);
    await insertRows(20_000);
    // Grown, the table is still read whole: the plan was made for a small one.
    expect(await plan()).toMatch(/Seq Scan on grown/);

    // The row count reaches the statistics views within seconds of the commit (up to 10 s on an idle connection).
    await waitFor(async () => expect(await statistics.analyzeGrownTables()).toEqual(['public.grown']), 30_000);

    expect(await plan()).toMatch(/Index Scan using grown_pkey|Bitmap Index Scan on grown_pkey/);
    expect(await plan()).not.toMatch(/Seq Scan/);
    const [{ reltuples }] = await db.dataSource.query(`SELECT reltuples FROM pg_class WHERE relname = 'grown'`);
    expect(reltuples).toBe(20_100);
    // Analysed at its size, it is not analysed again until it doubles.
    expect(await statistics.analyzeGrownTables()).toEqual([]);
  });
});
