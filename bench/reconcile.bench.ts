import { devUserId, dropDatabasesLike, httpClient, startingWith, tokenFor } from '@sangam/testing';
import { reconcile } from '../scripts/reconcile/reconcile';
import { startSystem } from '../test/system';

export interface ReconcileScaleResult {
  shgs: number;
  /** Seconds to generate the federation through the API (not part of the figure that matters). */
  generateSeconds: number;
  reconcileSeconds: number;
  shgsPerSecond: number;
  disagreements: number;
}

/** Runs `items` through `work` with `concurrency` in flight. */
async function pooled<T>(items: T[], concurrency: number, work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}

/**
 * How long `npm run reconcile` takes on a federation of `shgs` SHGs (20 per network, each with a
 * member, a deposit and a fee paid), generated through the API on the four services in this process.
 */
export async function benchReconcile(shgs: number): Promise<ReconcileScaleResult> {
  const databasePrefix = `sangam_test_bench_reconcile_${Date.now()}`;
  const system = await startSystem(databasePrefix);
  try {
    const started = Date.now();
    const groups = httpClient(system.urls.groups);
    const networks = Math.ceil(shgs / 20);
    const networkIds: string[] = [];
    for (let n = 0; n < networks; n++) {
      const { body } = await groups.post('/networks', {
        name: `Federation ${n}`,
        cluster: 'Kudal',
        formedOn: '2004-01-01',
        annualFee: 10_000,
      });
      networkIds.push(body.id);
      await groups.post(`/networks/${body.id}/grants`, { userId: devUserId('field1') });
    }
    await pooled(
      Array.from({ length: shgs }, (_, i) => i),
      16,
      async (i) => {
        const networkId = networkIds[Math.floor(i / 20)];
        const { body: shg } = await groups.post('/shgs', { name: `SHG ${i}`, village: 'Kudal', formedOn: '2004-01-15' });
        const { body: member } = await groups.post(`/shgs/${shg.id}/members`, { name: 'Savita', role: 'leader' });
        await groups.post(`/shgs/${shg.id}/savings/deposits`, { memberId: member.id, amount: 50_000, depositedOn: '2005-01-10' });
        await groups.post(`/networks/${networkId}/members`, { shgId: shg.id, joinedOn: '2005-01-15' });
      },
    );
    await pooled(networkIds, 4, (networkId) => groups.post(`/networks/${networkId}/fees/2005/assessments`, { assessedOn: '2005-02-01' }));
    const generateSeconds = (Date.now() - started) / 1000;
    const report = await reconcile(system.urls, { token: () => tokenFor('auditor1'), catchUpMs: 300_000, concurrency: 16 });
    return {
      shgs,
      generateSeconds: Math.round(generateSeconds),
      reconcileSeconds: report.seconds,
      shgsPerSecond: Math.round(shgs / report.seconds),
      disagreements: report.disagreements.length,
    };
  } finally {
    await system.stop();
    await dropDatabasesLike(startingWith(`${databasePrefix}_`));
  }
}
