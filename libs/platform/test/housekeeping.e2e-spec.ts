import { randomUUID } from 'node:crypto';
import type { Client } from 'pg';
import { Housekeeping } from '@sangam/platform';
import { connectTestDatabase, startService, type RunningService } from '@sangam/testing';
import { BANK_LINKAGE_START_OPTIONS, BankLinkageModule } from '../../../apps/bank-linkage/src/bank-linkage.module';

/** The tables that only grow are pruned by age, keeping what is younger than its retention and what is not done with. */
describe('housekeeping', () => {
  let service: RunningService;
  let db: Client;

  beforeAll(async () => {
    service = await startService('bank-linkage', BankLinkageModule.forRoot, {
      ...BANK_LINKAGE_START_OPTIONS,
      databasePrefix: 'sangam_test_housekeeping',
    });
    db = await connectTestDatabase(service.config.databaseName);
  });
  afterAll(async () => {
    await db?.end();
    await service?.stop();
  });

  it('prunes processed event ids, sent outbox rows and processed deliveries past their retention, and nothing else', async () => {
    const old = (days: number) => `now() - interval '${days} days'`;
    const [oldId, youngId] = [randomUUID(), randomUUID()];
    await db.query(`INSERT INTO processed_events (consumer, event_id, processed_at) VALUES ('c', $1, ${old(91)}), ('c', $2, ${old(89)})`, [
      oldId,
      youngId,
    ]);
    await db.query(`ALTER TABLE outbox DROP CONSTRAINT IF EXISTS outbox_position_fkey`);
    await db.query(`INSERT INTO outbox (position, published_at) VALUES (900000001, ${old(8)}), (900000002, ${old(6)}), (900000003, NULL)`);
    const delivery = (status: string, days: number) =>
      db.query(
        `INSERT INTO webhook_deliveries (id, bank_id, webhook_id, webhook_timestamp, webhook_signature, body, status, received_at, processed_at)
         VALUES ($1, $2, $3, 0, 'v1,x', '\\x7b7d', $4, ${old(days)}, ${old(days)}) RETURNING id`,
        [randomUUID(), randomUUID(), `msg_${randomUUID()}`, status],
      );
    const [processedOld, processedYoung, failedOld] = await Promise.all([
      delivery('processed', 31),
      delivery('processed', 29),
      delivery('failed', 31),
    ]);

    const pruned = await service.app.get(Housekeeping).run();
    expect(pruned).toEqual({ processed_events: 1, outbox: 1, webhook_deliveries: 1 });

    expect((await db.query(`SELECT event_id FROM processed_events WHERE event_id = ANY($1)`, [[oldId, youngId]])).rows).toEqual([
      { event_id: youngId },
    ]);
    expect((await db.query(`SELECT position::int FROM outbox WHERE position > 900000000 ORDER BY position`)).rows).toEqual([
      { position: 900000002 },
      { position: 900000003 },
    ]);
    const kept = (
      await db.query(`SELECT id FROM webhook_deliveries WHERE id = ANY($1)`, [
        [processedOld, processedYoung, failedOld].map((r) => r.rows[0].id),
      ])
    ).rows.map((r) => r.id);
    expect(kept.sort()).toEqual([processedYoung.rows[0].id, failedOld.rows[0].id].sort());
  });
});
