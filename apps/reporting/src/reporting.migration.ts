import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Which generation of each projection is live (answers reads) and which one a replay is building.
 * A generation's tables live in a schema of their own, created by code (see projections/generations.ts).
 */
export class ProjectionGenerations1764201900000 implements MigrationInterface {
  name = 'ProjectionGenerations1764201900000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE projection_generations (
        projection text PRIMARY KEY,
        live_generation integer NOT NULL,
        rebuilding_generation integer,
        swapped_at timestamptz
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE projection_generations`);
  }
}

/** The table shape each generation was built to, so that a service whose projection changed shape rebuilds it instead of misreading it. */
export class ProjectionShapes1764290000000 implements MigrationInterface {
  name = 'ProjectionShapes1764290000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE projection_generations ADD COLUMN live_shape text, ADD COLUMN rebuilding_shape text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE projection_generations DROP COLUMN live_shape, DROP COLUMN rebuilding_shape`);
  }
}

/** Set while a live generation that replaced one of another shape is still being filled from offset 0: its reads answer 503 until then. */
export class ProjectionRefilling1764290200000 implements MigrationInterface {
  name = 'ProjectionRefilling1764290200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE projection_generations ADD COLUMN live_refilling boolean NOT NULL DEFAULT false`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE projection_generations DROP COLUMN live_refilling`);
  }
}
