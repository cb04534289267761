import fc from 'fast-check';
import type { DataSource, EntityManager } from 'typeorm';
import { openScratchDatabase } from '@sangam/testing';
import { loansLentByNetwork } from '../src/loan-book/booked-loans';
import { readNetworkDashboard } from '../src/network-dashboard/get-network-dashboard/network-dashboard.query';
import { applyEvents, tablesDdl } from '../src/projections/projection';
import { PROJECTIONS } from '../src/projections/projection-registry';
import { readShgStatement } from '../src/shg-statement/get-shg-statement/shg-statement.query';
import { batches, interleave, networkPlans, networkStreams } from './random-network';
import type { TopicEvent } from './reporting-events';

/** All read models side by side in one schema, applied and read with the service's own SQL. */
class ReadModels {
  constructor(
    private readonly dataSource: DataSource,
    private readonly schema: string,
  ) {}

  private inSchema<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(`SET LOCAL search_path TO ${this.schema}`);
      return work(manager);
    });
  }

  async reset(): Promise<void> {
    await this.dataSource.query(`DROP SCHEMA IF EXISTS ${this.schema} CASCADE`);
    await this.dataSource.query(`CREATE SCHEMA ${this.schema}`);
    await this.inSchema(async (manager) => {
      for (const ddl of PROJECTIONS.flatMap(tablesDdl)) await manager.query(ddl);
    });
  }

  /** As the consumers do: each projection gets the events of its topics, one transaction per batch. */
  async apply(events: readonly TopicEvent[]): Promise<void> {
    for (const projection of PROJECTIONS) {
      const mine = events.filter((e) => projection.topics.includes(e.topic)).map((e) => e.envelope);
      if (mine.length > 0) await this.inSchema((manager) => applyEvents(projection, manager, mine));
    }
  }

  read(networkId: string, shgIds: readonly string[]) {
    return this.inSchema(async (manager) => {
      const tables: Record<string, unknown[]> = {};
      for (const table of PROJECTIONS.flatMap((p) => p.tables)) {
        tables[table.shape.name] = await manager.query(
          `SELECT * FROM ${table.shape.name} ORDER BY ${Object.keys(table.shape.keys).join(', ')}`,
        );
      }
      const statements = [];
      for (const shgId of shgIds) statements.push(await readShgStatement(manager, shgId, '2005-09-01'));
      return {
        tables,
        dashboard: await readNetworkDashboard(manager, networkId, '2005-09-01'),
        loans: await loansLentByNetwork(manager, networkId, '2005-09-01'),
        statements,
      };
    });
  }
}

describe('read models whatever the order events arrive in across topics and partitions', () => {
  let db: Awaited<ReturnType<typeof openScratchDatabase>>;
  let inStreamOrder: ReadModels;
  let shuffled: ReadModels;

  beforeAll(async () => {
    db = await openScratchDatabase('reporting_order', 4);
    inStreamOrder = new ReadModels(db.dataSource, 'in_stream_order');
    shuffled = new ReadModels(db.dataSource, 'shuffled');
  });

  afterAll(async () => {
    await db?.close();
  });

  it('come out the same for any interleaving of the streams and any batching', async () => {
    await fc.assert(
      fc.asyncProperty(
        networkPlans,
        fc.array(fc.nat(), { minLength: 1, maxLength: 100 }),
        fc.array(fc.integer({ min: 1, max: 15 }), { minLength: 1, maxLength: 10 }),
        async (plan, picks, sizes) => {
          const { networkId, shgIds, streams } = networkStreams(plan);
          await Promise.all([inStreamOrder.reset(), shuffled.reset()]);
          for (const event of streams.flat()) await inStreamOrder.apply([event]);
          for (const batch of batches(interleave(streams, picks), sizes)) await shuffled.apply(batch);
          const expected = await inStreamOrder.read(networkId, shgIds);
          expect(expected.dashboard).not.toBeNull();
          expect(await shuffled.read(networkId, shgIds)).toEqual(expected);
        },
      ),
      { numRuns: 40 },
    );
  });
});
