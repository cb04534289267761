import { Topics } from '@sangam/messaging';
import { collectFromTopic, type RunningService } from '@sangam/testing';
import { groupsClient, shgWithSavers, startGroups, type GroupsClient } from './groups-client';

const SHGS = 16;
const MEMBERS = 12;
const SAVING = 20_000;
const POOLED_PER_SHG = 100_000;
const ANNUAL_FEE = 30_000;
const UNPAID = 2;
const PARTLY_PAID = 15_000;

/** The groups part of the Sindhudurg story: 16 SHGs of 12 women, a federation charging Rs 300 a year. */
describe('the Sindhudurg groups story through the API', () => {
  let service: RunningService;
  let api: GroupsClient;
  let networkId: string;
  let shgIds: string[];

  beforeAll(async () => {
    service = await startGroups('sangam_test_groups_sindhudurg');
    api = groupsClient(service.url);
    networkId = await api.formNetwork(ANNUAL_FEE, 'Sindhudurg Mahila Federation');
    shgIds = await Promise.all(
      Array.from({ length: SHGS }, async (_, i) => (await shgWithSavers(api, MEMBERS, SAVING, `SHG ${i + 1}`)).shgId),
    );
    for (const shgId of shgIds) await api.join(networkId, shgId);
    await Promise.all(shgIds.map((shgId) => api.contribute(networkId, shgId, POOLED_PER_SHG)));
  });
  afterAll(() => service.stop());

  it('assesses the 2005 fee once for each of the 16 member SHGs', async () => {
    expect(await api.assess(networkId, 2005)).toEqual({ status: 201, body: { assessed: SHGS } });
    expect((await api.assess(networkId, 2005)).body).toEqual({ assessed: 0 });
  });

  it('collects the fees of most SHGs, one of them in part, and refuses to collect a fee twice', async () => {
    const payers = shgIds.slice(0, SHGS - UNPAID - 1);
    await Promise.all(payers.map((shgId) => api.payFee(networkId, 2005, shgId, ANNUAL_FEE)));
    await api.payFee(networkId, 2005, shgIds[SHGS - UNPAID - 1], PARTLY_PAID);
    const twice = await api.post(`/networks/${networkId}/fees/2005/payments`, { shgId: payers[0], amount: 1, paidOn: '2005-06-02' });
    expect([twice.status, twice.body.error]).toEqual([422, 'fee_overpayment']);
  });

  it('answers the network with its 16 members and a common fund of pooled savings plus fees paid', async () => {
    expect(await api.get(`/networks/${networkId}`)).toEqual({
      status: 200,
      body: {
        id: networkId,
        name: 'Sindhudurg Mahila Federation',
        cluster: 'Kudal',
        annualFee: ANNUAL_FEE,
        memberShgIds: shgIds,
        // 16 x Rs 1,000 pooled + 13 x Rs 300 in fees + Rs 150 paid in part
        commonFund: 2_005_000,
      },
    });
  });

  it('answers each SHG with its 12 savers, free savings and pooled savings', async () => {
    const shgs = await Promise.all(shgIds.map(async (shgId) => (await api.get(`/shgs/${shgId}`)).body));
    for (const shg of shgs) {
      expect(shg.members).toHaveLength(MEMBERS);
      expect(shg.members.every((m: { savings: number }) => m.savings === SAVING)).toBe(true);
      expect(shg).toMatchObject({ savingsBalance: MEMBERS * SAVING - POOLED_PER_SHG, pooledSavings: POOLED_PER_SHG, networkId });
    }
  });

  it("publishes the network's story to Kafka", async () => {
    const counted = ['ShgJoinedNetwork', 'FundContributed', 'AnnualFeeAssessed', 'AnnualFeePaid'];
    const events = await collectFromTopic(
      Topics.groups,
      (seen) => seen.length >= SHGS * 3 + (SHGS - UNPAID),
      (envelope) => envelope.streamId === networkId && counted.includes(envelope.type),
    );
    const count = (type: string) => events.filter((e) => e.type === type).length;
    expect(counted.map(count)).toEqual([SHGS, SHGS, SHGS, SHGS - UNPAID]);
  });
});
