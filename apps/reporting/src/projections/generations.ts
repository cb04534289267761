import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { DomainError } from '@sangam/domain';
import { queryPrepared } from '@sangam/messaging';
import { consumerNameOf, schemaOf, shapeOf, tablesDdl, type Projection } from './projection';

/** First key of reporting's advisory locks; the second is 0 for set-up or a projection's lockKey for its rebuild. */
const REPORTING_LOCK = 727_100;

export interface Generations {
  projection: string;
  live: number;
  rebuilding: number | null;
  /** The table shapes (shapeOf) they were built to. */
  liveShape: string | null;
  rebuildingShape: string | null;
  /** The live generation replaced one of another shape and has not yet caught up: reads wait. */
  refilling: boolean;
}

interface GenerationRow {
  projection: string;
  live_generation: number;
  rebuilding_generation: number | null;
  live_shape: string | null;
  rebuilding_shape: string | null;
  live_refilling: boolean;
}

const toGenerations = (row: GenerationRow): Generations => ({
  projection: row.projection,
  live: row.live_generation,
  rebuilding: row.rebuilding_generation,
  liveShape: row.live_shape,
  rebuildingShape: row.rebuilding_shape,
  refilling: row.live_refilling,
});

export async function readGenerations(manager: EntityManager): Promise<Generations[]> {
  const rows: GenerationRow[] = await manager.query(`SELECT * FROM projection_generations ORDER BY projection`);
  return rows.map(toGenerations);
}

async function lockGenerations(manager: EntityManager, projection: string): Promise<Generations> {
  const [row]: GenerationRow[] = await manager.query(`SELECT * FROM projection_generations WHERE projection = $1 FOR UPDATE`, [projection]);
  if (!row) throw new Error(`projection ${projection} is not set up`);
  return toGenerations(row);
}

async function createGeneration(manager: EntityManager, projection: Projection, generation: number): Promise<void> {
  const schema = schemaOf(projection.name, generation);
  await manager.query(`CREATE SCHEMA ${schema}`);
  await manager.query(`SET LOCAL search_path TO ${schema}`);
  for (const ddl of tablesDdl(projection)) await manager.query(ddl);
  await manager.query(`SET LOCAL search_path TO DEFAULT`);
}

const dropGeneration = (manager: EntityManager, projection: string, generation: number) =>
  manager.query(`DROP SCHEMA IF EXISTS ${schemaOf(projection, generation)} CASCADE`);

/** Gives every projection a first, empty generation the first time the service or a replay starts. */
export async function ensureGenerations(dataSource: DataSource, projections: readonly Projection[]): Promise<void> {
  await dataSource.transaction(async (manager) => {
    await manager.query(`SELECT pg_advisory_xact_lock($1, 0)`, [REPORTING_LOCK]);
    for (const projection of projections) {
      const created: unknown[] = await manager.query(
        `INSERT INTO projection_generations (projection, live_generation, live_shape) VALUES ($1, 1, $2) ON CONFLICT DO NOTHING RETURNING projection`,
        [projection.name, shapeOf(projection)],
      );
      if (created.length > 0) await createGeneration(manager, projection, 1);
    }
  });
}

/** A live generation built to another table shape than this code's, replaced by an empty one. */
export interface ReshapedProjection {
  projection: string;
  replaced: number;
  generation: number;
}

/**
 * When the service starts with code whose projection tables changed shape since the live
 * generation was built, that generation cannot answer its reads: it is replaced by a new, empty
 * live generation, which the service's consumer fills from offset 0. Until it has caught up its
 * reads answer 503 (see readLive), never partial figures. A shadow generation a replay is
 * building to the same new shape is left to finish; one of another shape is dropped.
 */
export async function replaceReshapedGenerations(
  dataSource: DataSource,
  projections: readonly Projection[],
): Promise<ReshapedProjection[]> {
  const reshaped = await dataSource.transaction(async (manager) => {
    await manager.query(`SELECT pg_advisory_xact_lock($1, 0)`, [REPORTING_LOCK]);
    // In name order, as readers take them: locking rows in two orders could deadlock.
    const rows: GenerationRow[] = await manager.query(
      `SELECT * FROM projection_generations WHERE projection = ANY($1) ORDER BY projection FOR UPDATE`,
      [projections.map((p) => p.name)],
    );
    const replaced: (ReshapedProjection & { dropped: number | null })[] = [];
    for (const { projection: name, live, rebuilding, liveShape, rebuildingShape } of rows.map(toGenerations)) {
      const projection = projections.find((p) => p.name === name)!;
      const shape = shapeOf(projection);
      if (liveShape === shape) continue;
      const generation = Math.max(live, rebuilding ?? 0) + 1;
      const keepRebuild = rebuilding !== null && rebuildingShape === shape;
      await createGeneration(manager, projection, generation);
      await manager.query(
        `UPDATE projection_generations
         SET live_generation = $2, live_shape = $3, live_refilling = true, swapped_at = now(),
             rebuilding_generation = CASE WHEN $4 THEN rebuilding_generation END, rebuilding_shape = CASE WHEN $4 THEN rebuilding_shape END
         WHERE projection = $1`,
        [name, generation, shape, keepRebuild],
      );
      await dropGeneration(manager, name, live);
      const dropped = rebuilding !== null && !keepRebuild ? rebuilding : null;
      if (dropped !== null) await dropGeneration(manager, name, dropped);
      replaced.push({ projection: name, replaced: live, dropped, generation });
    }
    return replaced;
  });
  for (const { projection, replaced, dropped } of reshaped) {
    for (const retired of [replaced, dropped]) if (retired !== null) await forgetConsumer(dataSource, projection, retired);
  }
  return reshaped.map(({ projection, replaced, generation }) => ({ projection, replaced, generation }));
}

/** The refilled generation has caught up with the topics: its reads are answered again. */
export async function markRefilled(dataSource: DataSource, projection: string, generation: number): Promise<void> {
  await dataSource.query(`UPDATE projection_generations SET live_refilling = false WHERE projection = $1 AND live_generation = $2`, [
    projection,
    generation,
  ]);
}

/**
 * Whoever reads or writes a generation's tables holds a share lock on its projection's row for
 * the transaction, and the swap takes it exclusively: a generation is never dropped under a
 * reader, and a consumer of a generation that is neither live nor being built applies nothing.
 * The transaction's search_path then points at the generation's schema.
 */
export async function enterGeneration(manager: EntityManager, projection: string, generation: number): Promise<boolean> {
  // The search_path is set in the same statement (as SET LOCAL would): when the generation is not to be fed, nothing is applied under it.
  // Named columns, not *: a prepared statement whose row shape a migration changed fails until the connection is gone.
  const [row] = await queryPrepared<Pick<GenerationRow, 'live_generation' | 'rebuilding_generation'>[]>(
    manager,
    `SELECT live_generation, rebuilding_generation, set_config('search_path', $2, true) AS search_path
     FROM projection_generations WHERE projection = $1 FOR SHARE`,
    [projection, `${schemaOf(projection, generation)}, public`],
  );
  return !!row && (row.live_generation === generation || row.rebuilding_generation === generation);
}

/** Runs a read against the live generations of the named projections, whose tables it sees unqualified. */
export async function readLive<T>(
  dataSource: DataSource,
  projections: readonly string[],
  read: (manager: EntityManager) => Promise<T>,
): Promise<T> {
  return dataSource.transaction(async (manager) => {
    const rows: GenerationRow[] = await manager.query(
      `SELECT * FROM projection_generations WHERE projection = ANY($1) ORDER BY projection FOR SHARE`,
      [projections],
    );
    if (rows.length !== projections.length) throw new Error(`read models ${projections.join(', ')} are not set up`);
    const refilling = rows.filter((row) => row.live_refilling).map((row) => row.projection);
    if (refilling.length > 0) {
      throw new DomainError(
        'service_unavailable',
        `The read model ${refilling.join(', ')} is being rebuilt after an upgrade; retry shortly`,
        'unavailable',
      );
    }
    await manager.query(`SET LOCAL search_path TO ${rows.map((r) => schemaOf(r.projection, r.live_generation)).join(', ')}, public`);
    return read(manager);
  });
}

export interface RebuildTarget {
  generation: number;
  /** The generation an interrupted rebuild had left, continued from its checkpoints. */
  resumed: boolean;
}

/** Names the generation a rebuild fills: a new empty one, or the one an interrupted rebuild left (unless fromBeginning). */
export async function beginRebuild(dataSource: DataSource, projection: Projection, fromBeginning: boolean): Promise<RebuildTarget> {
  const { target, abandoned } = await dataSource.transaction(async (manager) => {
    const { live, rebuilding, rebuildingShape } = await lockGenerations(manager, projection.name);
    // A rebuild left by another version of the code has the wrong tables: start it again.
    if (rebuilding !== null && !fromBeginning && rebuildingShape === shapeOf(projection))
      return { target: { generation: rebuilding, resumed: true }, abandoned: null };
    if (rebuilding !== null) await dropGeneration(manager, projection.name, rebuilding);
    const generation = Math.max(live, rebuilding ?? 0) + 1;
    await createGeneration(manager, projection, generation);
    await manager.query(`UPDATE projection_generations SET rebuilding_generation = $2, rebuilding_shape = $3 WHERE projection = $1`, [
      projection.name,
      generation,
      shapeOf(projection),
    ]);
    return { target: { generation, resumed: false }, abandoned: rebuilding };
  });
  if (abandoned !== null) await forgetConsumer(dataSource, projection.name, abandoned);
  return target;
}

/** Makes the rebuilt generation live and drops the one it replaces; returns the replaced generation. */
export async function swapIn(dataSource: DataSource, projection: string, generation: number): Promise<number> {
  const replaced = await dataSource.transaction(async (manager) => {
    const { live, rebuilding } = await lockGenerations(manager, projection);
    if (rebuilding !== generation) throw new Error(`generation ${generation} of ${projection} is no longer being rebuilt`);
    await manager.query(
      `UPDATE projection_generations
       SET live_generation = $2, live_shape = rebuilding_shape, live_refilling = false, rebuilding_generation = NULL, rebuilding_shape = NULL,
           swapped_at = now()
       WHERE projection = $1`,
      [projection, generation],
    );
    await dropGeneration(manager, projection, live);
    return live;
  });
  await forgetConsumer(dataSource, projection, replaced);
  return replaced;
}

/** Deletes a retired generation consumer's checkpoints and de-duplication records. */
export async function forgetConsumer(dataSource: DataSource, projection: string, generation: number): Promise<void> {
  const consumer = consumerNameOf(projection, generation);
  await dataSource.query(`DELETE FROM consumer_checkpoints WHERE consumer = $1`, [consumer]);
  await dataSource.query(`DELETE FROM processed_events WHERE consumer = $1`, [consumer]);
}

/** A session lock held for a whole rebuild on a connection of its own: it dies with the process that holds it. */
export class RebuildLock {
  private constructor(
    private readonly connection: QueryRunner,
    private readonly projection: Projection,
  ) {}

  static async tryAcquire(dataSource: DataSource, projection: Projection): Promise<RebuildLock | null> {
    const connection = dataSource.createQueryRunner();
    await connection.connect();
    const [{ locked }] = (await connection.query(`SELECT pg_try_advisory_lock($1, $2) AS locked`, [
      REPORTING_LOCK,
      projection.lockKey,
    ])) as { locked: boolean }[];
    if (locked) return new RebuildLock(connection, projection);
    await connection.release();
    return null;
  }

  async release(): Promise<void> {
    await this.connection.query(`SELECT pg_advisory_unlock($1, $2)`, [REPORTING_LOCK, this.projection.lockKey]).catch(() => undefined);
    await this.connection.release();
  }
}

/** The lockKeys of the projections some process is rebuilding right now. */
export async function rebuildsRunning(manager: EntityManager): Promise<Set<number>> {
  const rows: { objid: number }[] = await manager.query(
    `SELECT objid FROM pg_locks
     WHERE locktype = 'advisory' AND granted AND classid = $1 AND objsubid = 2
       AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    [REPORTING_LOCK],
  );
  return new Set(rows.map((r) => Number(r.objid)));
}
