import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Lending's own view of groups (membership, lendable funds), fed by groups' events and by its own loans. */
export class LendingViews1764201800000 implements MigrationInterface {
  name = 'LendingViews1764201800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE lender_funds (
        lender_type text NOT NULL,
        lender_id text NOT NULL,
        raised bigint NOT NULL DEFAULT 0,
        lent_out bigint NOT NULL DEFAULT 0,
        repaid_in bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (lender_type, lender_id)
      )`);
    await q.query(`
      CREATE TABLE network_memberships (
        network_id text NOT NULL,
        shg_id text NOT NULL,
        PRIMARY KEY (network_id, shg_id)
      )`);
    await q.query(`CREATE INDEX network_memberships_shg ON network_memberships (shg_id)`);
    await q.query(`
      CREATE TABLE shg_members (
        member_id text PRIMARY KEY,
        shg_id text NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE shg_members; DROP TABLE network_memberships; DROP TABLE lender_funds`);
  }
}

/**
 * Membership keeps the network stream version that last changed it, so a join re-driven from the
 * dead letters after a later exit cannot make an SHG a member again.
 */
export class MembershipVersions1764202300000 implements MigrationInterface {
  name = 'MembershipVersions1764202300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE network_memberships
        ADD COLUMN is_member boolean NOT NULL DEFAULT true,
        ADD COLUMN as_of_version integer NOT NULL DEFAULT 0`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE network_memberships DROP COLUMN is_member, DROP COLUMN as_of_version`);
  }
}

export const LENDING_MIGRATIONS = [LendingViews1764201800000, MembershipVersions1764202300000];
