import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Every service's own copy of who may see what: grants, network memberships and which banks lend to whom. */
export class AccessView1764800000000 implements MigrationInterface {
  name = 'AccessView1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE access_grants (
        user_id text NOT NULL,
        object_type text NOT NULL,
        object_id text NOT NULL,
        granted boolean NOT NULL,
        as_of_version integer NOT NULL,
        PRIMARY KEY (user_id, object_type, object_id)
      )`);
    await q.query(`
      CREATE TABLE access_memberships (
        network_id text NOT NULL,
        shg_id text NOT NULL,
        is_member boolean NOT NULL,
        as_of_version integer NOT NULL,
        PRIMARY KEY (network_id, shg_id)
      )`);
    await q.query(`CREATE INDEX access_memberships_shg ON access_memberships (shg_id) WHERE is_member`);
    await q.query(`
      CREATE TABLE access_credit_lines (
        credit_line_id text PRIMARY KEY,
        bank_id text NOT NULL,
        borrower_type text NOT NULL,
        borrower_id text NOT NULL
      )`);
    await q.query(`CREATE INDEX access_credit_lines_borrower ON access_credit_lines (borrower_type, borrower_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE access_credit_lines`);
    await q.query(`DROP TABLE access_memberships`);
    await q.query(`DROP TABLE access_grants`);
  }
}
