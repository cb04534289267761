import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { connectTestDatabase, tokenFor } from '@sangam/testing';
import { runChanderiStory } from '../scripts/demo/chanderi.story';
import { SangamClient } from '../scripts/demo/sangam-client';
import { reconcile } from '../scripts/reconcile/reconcile';
import { startSystem, type RunningSystem } from './system';

/** `npm run reconcile` against the four services: clean after a story, and naming what a test changes behind a view's back. */
describe('npm run reconcile', () => {
  let system: RunningSystem;
  let networkId: string;
  const asAuditor = { token: () => tokenFor('auditor1'), catchUpMs: 240_000 };

  beforeAll(async () => {
    system = await startSystem('sangam_test_reconcile');
    ({ networkId } = await runChanderiStory(new SangamClient(system.urls)));
  }, 180_000);
  afterAll(() => system?.stop());

  it('finds every view in agreement with its owner after the Chanderi story', async () => {
    const report = await reconcile(system.urls, asAuditor);
    expect(report.disagreements).toEqual([]);
    expect(report.reportingLag).toBe(0);
    expect(report.checked).toMatchObject({ shgs: 7, networks: 1, loans: 1 });
  });

  it('exits 0 as a command when all agree, printing what it checked', async () => {
    const port = (url: string) => new URL(url).port;
    const { stdout } = await promisify(execFile)('npx', ['ts-node', join(__dirname, '../scripts/reconcile.ts')], {
      env: {
        ...process.env,
        GROUPS_PORT: port(system.urls.groups),
        LENDING_PORT: port(system.urls.lending),
        BANK_LINKAGE_PORT: port(system.urls.bankLinkage),
        REPORTING_PORT: port(system.urls.reporting),
      },
    });
    expect(stdout).toMatch(/checked 7 SHGs, 1 networks, 1 loans and \d+ credit lines/);
    expect(stdout).toMatch(/every view agrees with its owner/);
  });

  it("names a figure changed behind a read model's back, and lending's view of a fund that drifted", async () => {
    const shg = (await new SangamClient(system.urls).get(`${system.urls.groups}/shgs`))[0];
    const reporting = await connectTestDatabase(system.services.reporting.config.databaseName);
    const lending = await connectTestDatabase(system.services.lending.config.databaseName);
    try {
      const [{ table_schema: schema }] = (
        await reporting.query(`SELECT table_schema FROM information_schema.tables WHERE table_name = 'shg_savings'`)
      ).rows;
      await reporting.query(`UPDATE ${schema}.shg_savings SET savings = savings + 1 WHERE shg_id = $1`, [shg.id]);
      await lending.query(`UPDATE lender_funds SET raised = raised - 100 WHERE lender_type = 'network' AND lender_id = $1`, [networkId]);
      const report = await reconcile(system.urls, { ...asAuditor, recheckRounds: 1 });
      expect(report.disagreements).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ kind: 'shg', id: shg.id, figure: 'savingsBalance', view: expect.stringMatching(/^reporting: /) }),
          expect.objectContaining({ kind: 'network', id: networkId, figure: 'raised', view: expect.stringMatching(/^lending: /) }),
        ]),
      );
      expect(report.disagreements).toHaveLength(2);
    } finally {
      await reporting.end();
      await lending.end();
    }
  });
});
