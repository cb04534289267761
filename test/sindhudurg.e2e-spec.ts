import { LeaderLaneSender, PostgresEventStore, republishEvents, type EventPublication } from '@sangam/event-store';
import { EVENT_PUBLICATION } from '@sangam/platform';
import { Topics } from '@sangam/messaging';
import { connectTestDatabase, startService, testKafka, tokenFor, waitFor } from '@sangam/testing';
import { ReportingModule } from '../apps/reporting/src/reporting.module';
import { SangamClient } from '../scripts/demo/sangam-client';
import { runChanderiStory } from '../scripts/demo/chanderi.story';
import { reconcile } from '../scripts/reconcile/reconcile';
import { runSindhudurgStory, SINDHUDURG, type SindhudurgIds } from '../scripts/demo/sindhudurg.story';
import { startSystem, type RunningSystem } from './system';

/**
 * The whole Sindhudurg story across the four services, through their public APIs, and the
 * network dashboard it must produce, figure by figure (paise, worked out by hand below).
 */
describe('the Sindhudurg story across all four services', () => {
  let system: RunningSystem;
  let client: SangamClient;
  let story: SindhudurgIds;

  beforeAll(async () => {
    system = await startSystem('sangam_test_story');
    client = new SangamClient(system.urls);
    story = await runSindhudurgStory(client);
    // The neighbouring apex, run by field2: granted Chanderi, never Sindhudurg.
    await runChanderiStory(client);
  }, 300_000);
  afterAll(() => system?.stop());

  // Fees: 14 x 30,000 + 15,000 = 435,000 of 16 x 30,000 = 480,000 assessed.
  // Contributions: 16 x 250,000. Lent from the fund: the 1,000,000 traditional-products loan,
  // of which two installments of 83,333 + 10,000 came back.
  // Goat loans (credit line): 5,000,000 with six installments of 416,666 + 50,000 paid, and
  // 2,000,000 with one of 166,666 + 20,000 paid.
  const expected = {
    memberShgCount: 16,
    commonFund: { feesCollected: 435_000, contributions: 4_000_000, lentOut: 1_000_000, repaidIn: 186_666, balance: 3_621_666 },
    fee2005: { year: 2005, assessed: 480_000, collected: 435_000, outstanding: 45_000 },
    creditLine: { limit: 5_000_000, drawn: 2_000_000, available: 3_000_000, interestCharged: 50_000, interestPaid: 50_000 },
    loans: {
      count: 3,
      active: 3,
      closed: 0,
      disbursedPrincipal: 8_000_000,
      outstandingPrincipal: 2_500_004 + 833_334 + 1_833_334,
      principalRepaid: 6 * 416_666 + 2 * 83_333 + 166_666,
      interestCollected: 6 * 50_000 + 2 * 10_000 + 20_000,
      // Only the traditional-products loan is behind: its 2005-10-01 installment is 91 days late.
      overdueCount: 1,
      par30: 0.1613, // 833,334 / 5,166,672
    },
  };

  it("answers the bank's duplicate delivery 200 and refuses a forged one 401", () => {
    expect(story.webhooks).toEqual({ duplicate: 200, forged: 401 });
  });

  it('shows the network dashboard with exact figures', async () => {
    const url = `${system.urls.reporting}/networks/${story.networkId}/dashboard?asOf=${SINDHUDURG.asOf}`;
    // Members, fees and contributions (groups), credit lines (bank-linkage) and loans (lending) reach it through
    // different projections and partitions: wait for every figure, not for the loans alone.
    await waitFor(async () => {
      const dashboard = await client.get(url);
      expect(dashboard.loans).toEqual(expected.loans);
      expect(dashboard.creditLines).toHaveLength(1);
      expect(dashboard.creditLines[0]).toMatchObject(expected.creditLine);
      expect(dashboard).toMatchObject({
        networkId: story.networkId,
        name: 'Sindhudurg SHG Network',
        memberShgCount: expected.memberShgCount,
        commonFund: expected.commonFund,
      });
      expect(dashboard.fees).toEqual([{ ...expected.fee2005, unpaidShgIds: expect.any(Array) }]);
      expect([...dashboard.fees[0].unpaidShgIds].sort()).toEqual([...story.shgIds.slice(14)].sort());
      expect(dashboard.creditLines[0]).toMatchObject({ id: story.creditLineId, bankId: story.bankId });
    }, 60_000);
  });

  it("lists the network's loans with their arrears", async () => {
    // Each loan is a stream of its own, on its own partition: three loans listed is not yet all of their repayments.
    await waitFor(async () => {
      const loans = await client.get(`${system.urls.reporting}/networks/${story.networkId}/loans`);
      expect(loans).toHaveLength(3);
      const byId = new Map(loans.map((loan: any) => [loan.id, loan]));
      expect(byId.get(story.loans.traditionalProducts)).toMatchObject({
        borrowerShgId: story.shgIds[1],
        purpose: 'traditional products',
        principal: 1_000_000,
        outstandingPrincipal: 833_334,
        status: 'active',
      });
      expect(byId.get(story.loans.goats)).toMatchObject({
        borrowerShgId: story.shgIds[0],
        principal: 5_000_000,
        outstandingPrincipal: 2_500_004,
      });
      expect(byId.get(story.loans.secondGoats)).toMatchObject({
        borrowerShgId: story.shgIds[2],
        principal: 2_000_000,
        outstandingPrincipal: 1_833_334,
      });
    });
  });

  it('gives each SHG its statement: savings, pooled savings, fees owed and loans', async () => {
    // Savings come from the SHG's stream, fees owed from the network's (another partition and projection): wait for both.
    await waitFor(async () => {
      expect(await client.get(`${system.urls.reporting}/shgs/${story.shgIds[15]}/statement`)).toMatchObject({
        shgId: story.shgIds[15],
        savingsBalance: SINDHUDURG.membersPerShg * SINDHUDURG.depositPerMember - SINDHUDURG.pooledPerShg,
        pooledSavings: SINDHUDURG.pooledPerShg,
        feesOwed: [{ year: 2005, outstanding: 30_000 }],
      });
    });
  });

  it('agrees with the owning services: the loan in lending and the line in bank-linkage', async () => {
    const loan = await client.get(`${system.urls.lending}/loans/${story.loans.traditionalProducts}?asOf=${SINDHUDURG.asOf}`);
    expect(loan).toMatchObject({
      status: 'active',
      outstandingPrincipal: 833_334,
      interestPaid: 20_000,
      principalPaid: 166_666,
      daysPastDue: 91,
    });
    const line = await client.get(`${system.urls.bankLinkage}/credit-lines/${story.creditLineId}`);
    expect(line).toMatchObject(expected.creditLine);
    const network = await client.get(`${system.urls.groups}/networks/${story.networkId}`);
    expect(network.commonFund).toBe(expected.commonFund.feesCollected + expected.commonFund.contributions);
  });

  it('reconciles: every view of every SHG, network, loan and credit line agrees with its owner to the paisa', async () => {
    const report = await reconcile(system.urls, { token: () => tokenFor('auditor1'), catchUpMs: 240_000 });
    expect(report.disagreements).toEqual([]);
    expect(report.checked).toEqual({ shgs: 16 + 7, networks: 2, loans: 5, creditLines: 1 });
  });

  it('was played by its real cast: every event names who recorded it', async () => {
    // Sindhudurg's streams only: field2 and approver2 ran Chanderi beside it.
    const whoRecorded = async (service: 'groups' | 'lending' | 'bankLinkage', streams?: string[]) => {
      const db = await connectTestDatabase(system.services[service].config.databaseName);
      try {
        const { rows } = await db.query(
          `SELECT type, metadata->'actor' AS actor FROM events WHERE $1::text[] IS NULL OR stream_id = ANY($1)`,
          [streams ?? null],
        );
        const label = (actor: Record<string, string> | null) =>
          actor === null
            ? 'nobody'
            : 'username' in actor
              ? actor.username
              : 'service' in actor
                ? `service ${actor.service}`
                : actor.bankId === story.bankId
                  ? 'the bank'
                  : 'another bank';
        const byType: Record<string, string[]> = {};
        for (const { type, actor } of rows) byType[type] = [...new Set([...(byType[type] ?? []), label(actor)])].sort();
        return byType;
      } finally {
        await db.end();
      }
    };
    expect(await whoRecorded('groups', [story.networkId, ...story.shgIds])).toMatchObject({
      NetworkFormed: ['admin'],
      AccessGranted: ['admin', 'field1'],
      ShgFormed: ['field1'],
      MemberEnrolled: ['field1'],
      SavingsDeposited: ['field1'],
      ShgJoinedNetwork: ['field1'],
      AnnualFeeAssessed: ['field1'],
      AnnualFeePaid: ['field1'],
      FundContributed: ['field1'],
    });
    expect(await whoRecorded('lending', Object.values(story.loans))).toMatchObject({
      LoanApplied: ['field1'],
      LoanApproved: ['approver1'],
      LoanDisbursementRequested: ['approver1'],
      // From the common fund the approver disburses at once; from the credit line lending reacts to the bank's draw.
      LoanDisbursed: ['approver1', 'service lending'],
      RepaymentReceived: ['field1'],
    });
    expect(await whoRecorded('bankLinkage')).toMatchObject({
      BankRegistered: ['admin'],
      AccessGranted: ['admin'],
      CreditLineSanctioned: ['banker1'],
      CreditDrawn: ['service bank-linkage'],
      BankWebhookAccepted: ['the bank'],
      InterestCharged: ['the bank'],
      CreditRepaid: ['the bank'],
    });
  });

  it("keeps Chanderi's field officer out of every Sindhudurg object, and lets the auditor read without writing", async () => {
    const field2 = client.as('field2');
    const { groups, lending, bankLinkage, reporting } = system.urls;
    const sindhudurgObjects = [
      `${groups}/networks/${story.networkId}`,
      ...story.shgIds.map((id) => `${groups}/shgs/${id}`),
      ...Object.values(story.loans).map((id) => `${lending}/loans/${id}`),
      `${reporting}/networks/${story.networkId}/dashboard`,
      `${reporting}/networks/${story.networkId}/loans`,
      ...story.shgIds.map((id) => `${reporting}/shgs/${id}/statement`),
    ];
    const answers = await Promise.all(sindhudurgObjects.map(async (url) => [url, (await field2.call('GET', url)).status]));
    expect(answers).toEqual(sindhudurgObjects.map((url) => [url, 404]));
    expect((await field2.call('GET', `${bankLinkage}/credit-lines/${story.creditLineId}`)).status).toBe(403);

    const shg = await client.get(`${groups}/shgs/${story.shgIds[0]}`);
    const deposit = { memberId: shg.members[0].id, amount: 100, depositedOn: '2005-12-01' };
    expect((await field2.call('POST', `${groups}/shgs/${story.shgIds[0]}/savings/deposits`, deposit)).status).toBe(404);
    expect(
      (await field2.call('POST', `${lending}/loans/${story.loans.goats}/repayments`, { amount: 100, paidOn: '2005-12-01' })).status,
    ).toBe(404);
    const auditor = client.as('auditor1');
    expect((await auditor.call('GET', `${reporting}/networks/${story.networkId}/dashboard?asOf=${SINDHUDURG.asOf}`)).status).toBe(200);
    expect((await auditor.call('POST', `${groups}/shgs/${story.shgIds[0]}/savings/deposits`, deposit)).status).toBe(403);
    expect(
      (await client.as('field1').call('POST', `${lending}/loans/${story.loans.goats}/approval`, { approvedOn: '2005-12-01' })).status,
    ).toBe(403);
    expect((await client.get(`${groups}/shgs/${story.shgIds[0]}`)).members[0].savings).toBe(shg.members[0].savings);
  });

  it('rebuilds identical read models from republished events, and republishing changes nothing live', async () => {
    // A fixed asOf: arrears as of today would change if the views were read on either side of midnight.
    const views = (reporting: string) =>
      Promise.all([
        client.get(`${reporting}/networks/${story.networkId}/dashboard?asOf=${SINDHUDURG.asOf}`),
        client.get(`${reporting}/networks/${story.networkId}/loans?asOf=${SINDHUDURG.asOf}`),
        client.get(`${reporting}/shgs/${story.shgIds[1]}/statement?asOf=${SINDHUDURG.asOf}`),
      ]);
    // The dashboard and the loans were waited for above; this SHG's savings (its own stream) not yet.
    const before = await waitFor(async () => {
      const current = await views(system.urls.reporting);
      expect(current[2]).toMatchObject({
        savingsBalance: SINDHUDURG.membersPerShg * SINDHUDURG.depositPerMember - SINDHUDURG.pooledPerShg,
        pooledSavings: SINDHUDURG.pooledPerShg,
        loans: [expect.objectContaining({ id: story.loans.traditionalProducts, outstandingPrincipal: 833_334 })],
      });
      return current;
    });

    const sender = new LeaderLaneSender(testKafka());
    for (const service of ['groups', 'lending', 'bankLinkage'] as const) {
      const { app } = system.services[service];
      const republished = await republishEvents(app.get(PostgresEventStore), sender, app.get<EventPublication>(EVENT_PUBLICATION), 1n);
      expect(republished.published).toBeGreaterThan(0);
    }
    await sender.close();

    // Where the topics end with the copies on them: a reporting deployment past these has read every copy.
    const admin = testKafka().admin();
    await admin.connect();
    const ends = new Map<string, number>();
    for (const topic of Object.values(Topics)) {
      for (const { partition, high } of await admin.fetchTopicOffsets(topic)) ends.set(`${topic}:${partition}`, Number(high));
    }
    await admin.disconnect();
    const pastTheCopies = async (reporting: string) => {
      for (const { checkpoints } of await client.get(`${reporting}/projections`)) {
        for (const { topic, partition, offset } of checkpoints) expect(offset).toBeGreaterThanOrEqual(ends.get(`${topic}:${partition}`)!);
      }
    };

    // A reporting deployment with no state at all reads the topics, republished duplicates included.
    const fresh = await startService('reporting', ReportingModule.forRoot, { databasePrefix: `sangam_test_story_fresh_${Date.now()}` });
    try {
      await waitFor(async () => {
        await pastTheCopies(fresh.url);
        expect(await views(fresh.url)).toEqual(before);
      }, 90_000);
    } finally {
      await fresh.stop();
    }
    // The live deployment too must have read the copies before its views can show they changed nothing.
    await waitFor(() => pastTheCopies(system.urls.reporting), 60_000);
    expect(await views(system.urls.reporting)).toEqual(before);
  });
});
