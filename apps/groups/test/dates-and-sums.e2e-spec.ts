import { randomUUID } from 'node:crypto';
import { PostgresEventStore } from '@sangam/event-store';
import type { RunningService } from '@sangam/testing';
import { groupsClient, startGroups, type GroupsClient } from './groups-client';

const MAX = Number.MAX_SAFE_INTEGER;
const E12 = 1_000_000_000_000;

/** What a broken rule answers: [status, error]. */
const outcome = (answer: { status: number; body: { error?: string } }) => [answer.status, answer.body.error];

describe('groups API: dates in order, sums the API can state, a network without a fee', () => {
  let service: RunningService;
  let api: GroupsClient;

  beforeAll(async () => {
    service = await startGroups('sangam_test_groups_dates');
    api = groupsClient(service.url);
  });
  afterAll(() => service.stop());

  /**
   * Appends history straight to a stream, as if recorded one request at a time, and keeps it off
   * the shared topic (every fresh test consumer reads that from offset 0): marked sent in the same
   * transaction, the relay never publishes it.
   */
  const seed = async (streamId: string, streamType: string, events: { type: string; data: object }[]) => {
    const store = service.app.get(PostgresEventStore);
    const expectedVersion = (await store.readStream(streamId)).length;
    await store.transaction(async (manager) => {
      const appended = await store.appendInTransaction(
        manager,
        { streamId, streamType, expectedVersion, events },
        { correlationId: randomUUID(), causationId: null, actor: { service: 'test' } },
      );
      await manager.query(`UPDATE outbox SET published_at = now() WHERE position = ANY($1::bigint[])`, [
        appended.events.map((e) => e.position),
      ]);
      return { events: [] };
    });
  };

  describe('422 date_out_of_order: no fact dated before the fact it depends on', () => {
    it('refuses deposits and withdrawals dated before the SHG was formed (2005-04-01)', async () => {
      const shgId = await api.formShg();
      const memberId = await api.enrol(shgId);
      const early = await api.post(`/shgs/${shgId}/savings/deposits`, { memberId, amount: 100, depositedOn: '2005-03-31' });
      expect(outcome(early)).toEqual([422, 'date_out_of_order']);
      expect(early.body.message).toContain('2005-04-01');
      await api.deposit(shgId, memberId, 100, '2005-04-01');
      expect(outcome(await api.post(`/shgs/${shgId}/savings/withdrawals`, { memberId, amount: 50, withdrawnOn: '2005-03-31' }))).toEqual([
        422,
        'date_out_of_order',
      ]);
      expect((await api.get(`/shgs/${shgId}`)).body.savingsBalance).toBe(100);
    });

    it('refuses a join dated before the network or the SHG was formed, or before the SHG left its last network', async () => {
      const networkId = await api.formNetwork();
      const lateShg = (await api.post('/shgs', { name: 'Late', village: 'Kudal', formedOn: '2005-06-01' })).body.id as string;
      expect(outcome(await api.post(`/networks/${networkId}/members`, { shgId: await api.formShg(), joinedOn: '2005-03-31' }))).toEqual([
        422,
        'date_out_of_order',
      ]);
      expect(outcome(await api.post(`/networks/${networkId}/members`, { shgId: lateShg, joinedOn: '2005-05-01' }))).toEqual([
        422,
        'date_out_of_order',
      ]);
      await api.join(networkId, lateShg, '2005-06-01');
      expect(outcome(await api.post(`/networks/${networkId}/members/${lateShg}/exit`, { exitedOn: '2005-05-31' }))).toEqual([
        422,
        'date_out_of_order',
      ]);
      expect((await api.post(`/networks/${networkId}/members/${lateShg}/exit`, { exitedOn: '2006-03-31' })).status).toBe(201);
      const other = await api.formNetwork();
      expect(outcome(await api.post(`/networks/${other}/members`, { shgId: lateShg, joinedOn: '2006-03-30' }))).toEqual([
        422,
        'date_out_of_order',
      ]);
      await api.join(other, lateShg, '2006-03-31');
      expect((await api.get(`/shgs/${lateShg}`)).body.networkId).toBe(other);
    });

    it('refuses fees assessed before the network was formed or for an earlier year, and payments before their assessment', async () => {
      const networkId = await api.formNetwork();
      const shgId = await api.formShg();
      await api.join(networkId, shgId);
      expect(outcome(await api.post(`/networks/${networkId}/fees/2005/assessments`, { assessedOn: '2005-03-31' }))).toEqual([
        422,
        'date_out_of_order',
      ]);
      expect(outcome(await api.post(`/networks/${networkId}/fees/2004/assessments`, { assessedOn: '2005-05-01' }))).toEqual([
        422,
        'date_out_of_order',
      ]);
      expect((await api.assess(networkId, 2005)).body).toEqual({ assessed: 1 });
      expect(outcome(await api.post(`/networks/${networkId}/fees/2005/payments`, { shgId, amount: 100, paidOn: '2005-04-30' }))).toEqual([
        422,
        'date_out_of_order',
      ]);
      expect((await api.post(`/networks/${networkId}/fees/2005/payments`, { shgId, amount: 100, paidOn: '2005-05-01' })).status).toBe(201);
    });

    it('assesses only SHGs that were members on the assessment date', async () => {
      const networkId = await api.formNetwork();
      const [early, late] = [await api.formShg(), await api.formShg()];
      await api.join(networkId, early, '2005-04-15');
      await api.join(networkId, late, '2005-06-01');
      expect((await api.post(`/networks/${networkId}/fees/2005/assessments`, { assessedOn: '2005-05-01' })).body).toEqual({ assessed: 1 });
      expect((await api.post(`/networks/${networkId}/fees/2005/assessments`, { assessedOn: '2005-06-01' })).body).toEqual({ assessed: 1 });
    });

    it('refuses a contribution dated before the SHG joined the network', async () => {
      const networkId = await api.formNetwork();
      const shgId = await api.formShg();
      await api.deposit(shgId, await api.enrol(shgId), 10_000);
      await api.join(networkId, shgId, '2005-06-01');
      const early = await api.post(`/networks/${networkId}/fund/contributions`, { shgId, amount: 1_000, contributedOn: '2005-05-31' });
      expect(outcome(early)).toEqual([422, 'date_out_of_order']);
      expect((await api.get(`/shgs/${shgId}`)).body).toMatchObject({ savingsBalance: 10_000, pooledSavings: 0 });
    });
  });

  describe('422 amount_too_large: no balance or sum past 2^53 - 1 paise', () => {
    it("takes deposits of 1e12 paise up to the SHG's last representable paisa, refuses one more, and still answers GET", async () => {
      const shgId = await api.formShg();
      const memberId = await api.enrol(shgId);
      const deposits = Math.floor((MAX - E12) / E12);
      await seed(
        shgId,
        'shg',
        Array.from({ length: deposits }, () => ({
          type: 'SavingsDeposited',
          data: { shgId, memberId, depositId: randomUUID(), amount: E12, depositedOn: '2005-05-01' },
        })),
      );
      await api.deposit(shgId, memberId, MAX - E12 - deposits * E12);
      await api.deposit(shgId, memberId, E12);
      const refused = await api.post(`/shgs/${shgId}/savings/deposits`, { memberId, amount: 1, depositedOn: '2005-05-01' });
      expect(outcome(refused)).toEqual([422, 'amount_too_large']);
      const shg = await api.get(`/shgs/${shgId}`);
      expect(shg.status).toBe(200);
      expect(shg.body).toMatchObject({ savingsBalance: MAX, members: [expect.objectContaining({ savings: MAX })] });
    }, 60_000);

    it('refuses contributions and fee payments that would take the common fund past it', async () => {
      const networkId = await api.formNetwork(E12);
      const shgId = await api.formShg();
      await api.deposit(shgId, await api.enrol(shgId), E12);
      await api.join(networkId, shgId);
      await api.assess(networkId, 2005);
      await seed(networkId, 'network', [
        {
          type: 'FundContributed',
          data: { networkId, shgId: randomUUID(), contributionId: randomUUID(), amount: MAX - 1_000, contributedOn: '2005-07-01' },
        },
      ]);
      expect(
        outcome(await api.post(`/networks/${networkId}/fund/contributions`, { shgId, amount: 1_001, contributedOn: '2005-07-01' })),
      ).toEqual([422, 'amount_too_large']);
      expect(outcome(await api.post(`/networks/${networkId}/fees/2005/payments`, { shgId, amount: 1_001, paidOn: '2005-06-01' }))).toEqual([
        422,
        'amount_too_large',
      ]);
      await api.payFee(networkId, 2005, shgId, 1_000);
      expect((await api.get(`/networks/${networkId}`)).body.commonFund).toBe(MAX);
    });

    it("refuses an assessment that would take a year's fees past it", async () => {
      const networkId = await api.formNetwork(E12);
      const shgId = await api.formShg();
      await api.join(networkId, shgId);
      await seed(networkId, 'network', [
        {
          type: 'AnnualFeeAssessed',
          data: { networkId, shgId: randomUUID(), year: 2005, amount: MAX - E12 + 1, assessedOn: '2005-05-01' },
        },
      ]);
      expect(outcome(await api.assess(networkId, 2005))).toEqual([422, 'amount_too_large']);
      expect((await api.assess(networkId, 2006)).body).toEqual({ assessed: 1 });
    });
  });

  describe('a network that charges no annual fee', () => {
    it('is formed with annualFee 0, assesses its members at nothing, and refuses any payment with fee_overpayment', async () => {
      const formed = await api.post('/networks', { name: 'Chanderi weavers', cluster: 'Chanderi', formedOn: '2005-04-01', annualFee: 0 });
      expect(formed.status).toBe(201);
      const networkId = formed.body.id;
      expect((await api.get(`/networks/${networkId}`)).body).toMatchObject({ annualFee: 0, commonFund: 0 });
      const shgId = await api.formShg();
      await api.join(networkId, shgId);
      expect((await api.assess(networkId, 2005)).body).toEqual({ assessed: 1 });
      expect((await api.assess(networkId, 2005)).body).toEqual({ assessed: 0 });
      expect(outcome(await api.post(`/networks/${networkId}/fees/2005/payments`, { shgId, amount: 1, paidOn: '2005-06-01' }))).toEqual([
        422,
        'fee_overpayment',
      ]);
      expect(outcome(await api.post(`/networks/${networkId}/fees/2006/payments`, { shgId, amount: 1, paidOn: '2006-06-01' }))).toEqual([
        422,
        'fee_not_assessed',
      ]);
    });
  });
});
