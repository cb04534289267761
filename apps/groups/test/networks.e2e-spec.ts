import { randomUUID } from 'node:crypto';
import type { RunningService } from '@sangam/testing';
import { groupsClient, shgWithSavers, startGroups, type GroupsClient } from './groups-client';

describe('groups API: networks, fees and the common fund', () => {
  let service: RunningService;
  let api: GroupsClient;
  const network = async (networkId: string) => (await api.get(`/networks/${networkId}`)).body;
  const shg = async (shgId: string) => (await api.get(`/shgs/${shgId}`)).body;

  beforeAll(async () => {
    service = await startGroups('sangam_test_groups_networks');
    api = groupsClient(service.url);
  });
  afterAll(() => service.stop());

  it('forms a network and answers it with its fee, no members and an empty common fund', async () => {
    const formed = await api.post('/networks', {
      name: 'Sindhudurg SHG Federation',
      cluster: 'Kudal',
      formedOn: '2005-04-01',
      annualFee: 30_000,
    });
    expect(formed.status).toBe(201);
    expect(await api.get(`/networks/${formed.body.id}`)).toEqual({
      status: 200,
      body: { id: formed.body.id, name: 'Sindhudurg SHG Federation', cluster: 'Kudal', annualFee: 30_000, memberShgIds: [], commonFund: 0 },
    });
  });

  describe('membership', () => {
    it('lets SHGs join, listed in joining order, and records the network on each SHG', async () => {
      const networkId = await api.formNetwork();
      const [first, second] = [await api.formShg(), await api.formShg()];
      const joined = await api.post(`/networks/${networkId}/members`, { shgId: first, joinedOn: '2005-04-15' });
      expect(joined.status).toBe(201);
      await api.join(networkId, second);
      expect((await network(networkId)).memberShgIds).toEqual([first, second]);
      expect((await shg(first)).networkId).toBe(networkId);
    });

    it('refuses an SHG already in this or another network with 422 already_in_network', async () => {
      const [networkA, networkB] = [await api.formNetwork(), await api.formNetwork()];
      const shgId = await api.formShg();
      await api.join(networkA, shgId);
      for (const networkId of [networkA, networkB]) {
        const refused = await api.post(`/networks/${networkId}/members`, { shgId, joinedOn: '2005-05-01' });
        expect([refused.status, refused.body.error]).toEqual([422, 'already_in_network']);
      }
      expect((await network(networkB)).memberShgIds).toEqual([]);
      expect((await shg(shgId)).networkId).toBe(networkA);
    });

    it('lets exactly one of two concurrent joins of one SHG into two networks win, on both streams', async () => {
      const networks = [await api.formNetwork(), await api.formNetwork()];
      const shgId = await api.formShg();
      const answers = await Promise.all(
        networks.map((networkId) => api.post(`/networks/${networkId}/members`, { shgId, joinedOn: '2005-04-15' })),
      );
      expect(answers.map((a) => a.status).sort()).toEqual([201, 422]);
      const winner = networks[answers.findIndex((a) => a.status === 201)];
      expect((await shg(shgId)).networkId).toBe(winner);
      const members = await Promise.all(networks.map(async (networkId) => (await network(networkId)).memberShgIds));
      expect(members.flat()).toEqual([shgId]);
    });

    it('lets a member exit: it leaves the list, the SHG has no network and may join another', async () => {
      const [networkA, networkB] = [await api.formNetwork(), await api.formNetwork()];
      const shgId = await api.formShg();
      await api.join(networkA, shgId);
      const exited = await api.post(`/networks/${networkA}/members/${shgId}/exit`, { exitedOn: '2006-03-31' });
      expect(exited.status).toBe(201);
      expect((await network(networkA)).memberShgIds).toEqual([]);
      expect((await shg(shgId)).networkId).toBeNull();
      await api.join(networkB, shgId, '2006-04-01');
      expect((await shg(shgId)).networkId).toBe(networkB);
    });

    it('refuses the exit of an SHG that is not a member with 422 not_a_member', async () => {
      const networkId = await api.formNetwork();
      const shgId = await api.formShg();
      const refused = await api.post(`/networks/${networkId}/members/${shgId}/exit`, { exitedOn: '2006-03-31' });
      expect([refused.status, refused.body.error]).toEqual([422, 'not_a_member']);
    });
  });

  describe('annual fees', () => {
    it('assesses each member once per year, and later only the SHGs not yet assessed', async () => {
      const networkId = await api.formNetwork();
      const [a, b, c] = [await api.formShg(), await api.formShg(), await api.formShg()];
      await api.join(networkId, a);
      await api.join(networkId, b);
      expect(await api.assess(networkId, 2005)).toEqual({ status: 201, body: { assessed: 2 } });
      expect((await api.assess(networkId, 2005)).body).toEqual({ assessed: 0 });
      await api.join(networkId, c);
      expect((await api.assess(networkId, 2005)).body).toEqual({ assessed: 1 });
      expect((await api.assess(networkId, 2006)).body).toEqual({ assessed: 3 });
    });

    it('takes partial payments into the common fund and refuses more than is owed with 422 fee_overpayment', async () => {
      const networkId = await api.formNetwork(30_000);
      const shgId = await api.formShg();
      await api.join(networkId, shgId);
      await api.assess(networkId, 2005);
      const partial = await api.post(`/networks/${networkId}/fees/2005/payments`, { shgId, amount: 10_000, paidOn: '2005-06-01' });
      expect(partial.status).toBe(201);
      expect((await network(networkId)).commonFund).toBe(10_000);
      const over = await api.post(`/networks/${networkId}/fees/2005/payments`, { shgId, amount: 20_001, paidOn: '2005-06-02' });
      expect([over.status, over.body.error]).toEqual([422, 'fee_overpayment']);
      await api.payFee(networkId, 2005, shgId, 20_000);
      expect((await network(networkId)).commonFund).toBe(30_000);
    });

    it('refuses a payment for a fee never assessed with 422 fee_not_assessed', async () => {
      const networkId = await api.formNetwork();
      const shgId = await api.formShg();
      await api.join(networkId, shgId);
      await api.assess(networkId, 2005);
      const refused = await api.post(`/networks/${networkId}/fees/2006/payments`, { shgId, amount: 100, paidOn: '2006-06-01' });
      expect([refused.status, refused.body.error]).toEqual([422, 'fee_not_assessed']);
    });

    it('keeps fees owed after an SHG exits, and takes their payment', async () => {
      const networkId = await api.formNetwork(30_000);
      const shgId = await api.formShg();
      await api.join(networkId, shgId);
      await api.assess(networkId, 2005);
      await api.post(`/networks/${networkId}/members/${shgId}/exit`, { exitedOn: '2005-09-30' });
      await api.payFee(networkId, 2005, shgId, 30_000);
      expect(await network(networkId)).toMatchObject({ memberShgIds: [], commonFund: 30_000 });
      expect((await api.assess(networkId, 2006)).body).toEqual({ assessed: 0 });
    });
  });

  describe('pooling savings into the common fund', () => {
    it("moves an SHG's contribution from its free savings to its pooled savings and into the fund", async () => {
      const networkId = await api.formNetwork();
      const { shgId } = await shgWithSavers(api, 3, 10_000);
      await api.join(networkId, shgId);
      const contributed = await api.post(`/networks/${networkId}/fund/contributions`, {
        shgId,
        amount: 12_000,
        contributedOn: '2005-07-01',
      });
      expect(contributed.status).toBe(201);
      expect(await shg(shgId)).toMatchObject({ savingsBalance: 18_000, pooledSavings: 12_000 });
      expect((await network(networkId)).commonFund).toBe(12_000);
    });

    it("refuses more than the SHG's free savings with 422 insufficient_savings", async () => {
      const networkId = await api.formNetwork();
      const { shgId } = await shgWithSavers(api, 2, 10_000);
      await api.join(networkId, shgId);
      await api.contribute(networkId, shgId, 15_000);
      const refused = await api.post(`/networks/${networkId}/fund/contributions`, { shgId, amount: 5_001, contributedOn: '2005-07-02' });
      expect([refused.status, refused.body.error]).toEqual([422, 'insufficient_savings']);
      expect((await network(networkId)).commonFund).toBe(15_000);
    });

    it('refuses a contribution from an SHG outside the network with 422 not_a_member', async () => {
      const networkId = await api.formNetwork();
      const { shgId } = await shgWithSavers(api, 1, 10_000);
      const refused = await api.post(`/networks/${networkId}/fund/contributions`, { shgId, amount: 1_000, contributedOn: '2005-07-01' });
      expect([refused.status, refused.body.error]).toEqual([422, 'not_a_member']);
      expect(await shg(shgId)).toMatchObject({ savingsBalance: 10_000, pooledSavings: 0 });
    });

    it('never lets concurrent contributions pool more than the free savings, and the SHG and network agree', async () => {
      const networkId = await api.formNetwork();
      const { shgId } = await shgWithSavers(api, 1, 10_000);
      await api.join(networkId, shgId);
      const answers = await Promise.all(
        Array.from({ length: 6 }, () =>
          api.post(`/networks/${networkId}/fund/contributions`, { shgId, amount: 3_000, contributedOn: '2005-07-01' }),
        ),
      );
      expect(answers.map((a) => a.status).sort()).toEqual([201, 201, 201, 422, 422, 422]);
      expect(await shg(shgId)).toMatchObject({ savingsBalance: 1_000, pooledSavings: 9_000 });
      expect((await network(networkId)).commonFund).toBe(9_000);
    });
  });

  it('answers 404 not_found for an unknown network or SHG on every network route', async () => {
    const unknown = randomUUID();
    const networkId = await api.formNetwork();
    const shgId = await api.formShg();
    const answers = await Promise.all([
      api.get(`/networks/${unknown}`),
      api.get(`/networks/${shgId}`),
      api.get(`/shgs/${networkId}`),
      api.post(`/networks/${unknown}/members`, { shgId, joinedOn: '2005-04-15' }),
      api.post(`/networks/${networkId}/members`, { shgId: unknown, joinedOn: '2005-04-15' }),
      api.post(`/networks/${unknown}/members/${shgId}/exit`, { exitedOn: '2006-03-31' }),
      api.post(`/networks/${networkId}/members/${unknown}/exit`, { exitedOn: '2006-03-31' }),
      api.post(`/networks/${unknown}/fees/2005/assessments`, { assessedOn: '2005-05-01' }),
      api.post(`/networks/${unknown}/fees/2005/payments`, { shgId, amount: 100, paidOn: '2005-06-01' }),
      api.post(`/networks/${networkId}/fees/2005/payments`, { shgId: unknown, amount: 100, paidOn: '2005-06-01' }),
      api.post(`/networks/${unknown}/fund/contributions`, { shgId, amount: 100, contributedOn: '2005-07-01' }),
      api.post(`/networks/${networkId}/fund/contributions`, { shgId: unknown, amount: 100, contributedOn: '2005-07-01' }),
    ]);
    for (const answer of answers) expect(answer).toEqual({ status: 404, body: { error: 'not_found', message: expect.any(String) } });
  });
});
