import { randomUUID } from 'node:crypto';
import { startService, waitFor, type RunningService } from '@sangam/testing';
import { ReportingModule } from '../src/reporting.module';
import { networkStory } from './network-story';
import { groups } from './reporting-events';
import { ReportingApi } from './reporting-api';
import { ReportingPublisher } from './reporting-publisher';

describe('reporting read models, fed through Kafka', () => {
  let service: RunningService;
  let publisher: ReportingPublisher;
  let api: ReportingApi;
  const story = networkStory();

  beforeAll(async () => {
    service = await startService('reporting', (config) => ReportingModule.forRoot(config), {
      databasePrefix: 'sangam_test_reporting_read_models',
    });
    api = new ReportingApi(service.url);
    publisher = await ReportingPublisher.connect();
    await publisher.publish(story.events);
  });

  afterAll(async () => {
    await publisher?.disconnect();
    await service?.stop();
  });

  /** The events sit on several partitions of three topics: each read model gets there eventually. */
  // A fresh reporting reads the shared topics from their beginning: everything earlier suites published comes first.
  const eventually = (path: string, expected: unknown) => waitFor(async () => expect(await api.ok(path)).toEqual(expected), 120_000);

  const creditLine = (drawn: number, interest: number) => ({
    id: story.creditLineId,
    bankId: story.bankId,
    limit: 2_000_000,
    drawn,
    available: 2_000_000 - drawn,
    interestCharged: interest,
    interestPaid: interest,
  });

  /** After the repayment of 2005-07-15 no loan is disbursed or repaid: only the arrears age. */
  const loanBookSinceAugust = (par30: number) => ({
    count: 3,
    active: 2,
    closed: 0,
    disbursedPrincipal: 1_120_000,
    outstandingPrincipal: 1_090_000,
    principalRepaid: 30_000,
    interestCollected: 1_200,
    overdueCount: 2,
    par30,
  });
  const fees2005 = (collected: number) => ({
    year: 2005,
    assessed: 90_000,
    collected,
    outstanding: 90_000 - collected,
    unpaidShgIds: [story.shgB, story.shgC].sort(),
  });
  const fund = (feesCollected: number) => ({
    balance: feesCollected + 200_000 - 120_000 + 31_200,
    feesCollected,
    contributions: 200_000,
    lentOut: 120_000,
    repaidIn: 31_200,
  });

  it('builds the network dashboard whatever topic its events came from first, stated as of today', async () => {
    await eventually(`/networks/${story.networkId}/dashboard`, {
      networkId: story.networkId,
      name: 'Sindhudurg SHG network',
      memberShgCount: 2,
      commonFund: fund(70_000),
      fees: [fees2005(40_000), { year: 2006, assessed: 60_000, collected: 30_000, outstanding: 30_000, unpaidShgIds: [story.shgB] }],
      creditLines: [creditLine(800_000, 15_000)],
      loans: loanBookSinceAugust(1),
    });
  });

  it('states every figure as of an earlier date: members, fees, fund and credit line as they stood then', async () => {
    await eventually(`/networks/${story.networkId}/dashboard?asOf=2005-09-01`, {
      networkId: story.networkId,
      name: 'Sindhudurg SHG network',
      memberShgCount: 3,
      commonFund: fund(40_000),
      fees: [fees2005(40_000)],
      creditLines: [creditLine(800_000, 15_000)],
      loans: loanBookSinceAugust(0.9174),
    });
  });

  it('states the dashboard as of a date before anything fell due, and before the network had a line', async () => {
    await waitFor(async () => {
      const { loans, commonFund, creditLines } = await api.ok(`/networks/${story.networkId}/dashboard?asOf=2005-07-01`);
      expect(loans).toEqual({
        count: 3,
        active: 2,
        closed: 0,
        disbursedPrincipal: 1_120_000,
        outstandingPrincipal: 1_120_000,
        principalRepaid: 0,
        interestCollected: 0,
        overdueCount: 0,
        par30: 0,
      });
      expect(commonFund).toEqual({ balance: 120_000, feesCollected: 40_000, contributions: 200_000, lentOut: 120_000, repaidIn: 0 });
      expect(creditLines).toEqual([creditLine(1_000_000, 0)]);
    });
    const beforeTheLine = await api.ok(`/networks/${story.networkId}/dashboard?asOf=2005-04-30`);
    expect(beforeTheLine).toMatchObject({ memberShgCount: 3, creditLines: [], commonFund: { balance: 40_000, contributions: 0 } });
  });

  it('counts a fee paid before its assessment date from the assessment on', async () => {
    const networkId = randomUUID();
    const shgId = randomUUID();
    await publisher.publish([
      groups(networkId, {
        type: 'NetworkFormed',
        data: { networkId, name: 'Early payers', cluster: 'Kudal', formedOn: '2005-01-01', annualFee: 30_000 },
      }),
      groups(networkId, { type: 'AnnualFeeAssessed', data: { networkId, shgId, year: 2005, amount: 30_000, assessedOn: '2005-04-01' } }),
      groups(networkId, {
        type: 'AnnualFeePaid',
        data: { networkId, shgId, year: 2005, amount: 30_000, paymentId: randomUUID(), paidOn: '2005-03-20' },
      }),
    ]);
    await waitFor(async () => {
      const { fees, commonFund } = await api.ok(`/networks/${networkId}/dashboard?asOf=2005-04-01`);
      expect(fees).toEqual([{ year: 2005, assessed: 30_000, collected: 30_000, outstanding: 0, unpaidShgIds: [] }]);
      expect(commonFund.feesCollected).toBe(30_000);
    });
    const before = await api.ok(`/networks/${networkId}/dashboard?asOf=2005-03-25`);
    expect(before).toMatchObject({ fees: [], commonFund: { feesCollected: 0, balance: 0 } });
  });

  it('lists the loans the network lends with their arrears', async () => {
    await eventually(`/networks/${story.networkId}/loans?asOf=2005-09-01`, [
      {
        id: story.fundLoan.loanId,
        borrowerShgId: story.shgA,
        purpose: 'dairy cattle',
        principal: 120_000,
        outstandingPrincipal: 90_000,
        status: 'active',
        daysPastDue: 17,
      },
      {
        id: story.creditLoan.loanId,
        borrowerShgId: story.shgB,
        purpose: 'cashew processing',
        principal: 1_000_000,
        outstandingPrincipal: 1_000_000,
        status: 'active',
        daysPastDue: 43,
      },
      {
        id: story.rejectedLoan.loanId,
        borrowerShgId: story.shgA,
        purpose: 'tractor',
        principal: 5_000_000,
        outstandingPrincipal: 0,
        status: 'rejected',
        daysPastDue: 0,
      },
    ]);
  });

  it("states an SHG's savings, fees owed and the loans it borrows and lends", async () => {
    await eventually(`/shgs/${story.shgA}/statement?asOf=2005-09-01`, {
      shgId: story.shgA,
      savingsBalance: 500_000 - 50_000 - 200_000,
      pooledSavings: 200_000,
      lentToMembers: 0,
      interestEarned: 0,
      feesOwed: [],
      loans: [
        {
          id: story.fundLoan.loanId,
          lender: { type: 'network', id: story.networkId },
          borrower: { type: 'shg', id: story.shgA },
          purpose: 'dairy cattle',
          principal: 120_000,
          outstandingPrincipal: 90_000,
          status: 'active',
          daysPastDue: 17,
        },
        {
          id: story.rejectedLoan.loanId,
          lender: { type: 'network', id: story.networkId },
          borrower: { type: 'shg', id: story.shgA },
          purpose: 'tractor',
          principal: 5_000_000,
          outstandingPrincipal: 0,
          status: 'rejected',
          daysPastDue: 0,
        },
        {
          id: story.memberLoan.loanId,
          lender: { type: 'shg', id: story.shgA },
          borrower: { type: 'member', id: story.member },
          purpose: 'sewing machine',
          principal: 50_000,
          outstandingPrincipal: 0,
          status: 'approved',
          daysPastDue: 0,
        },
      ],
    });
  });

  it('keeps fees owed by an SHG after it left the network', async () => {
    await waitFor(async () => {
      const [b, c] = [await api.ok(`/shgs/${story.shgB}/statement`), await api.ok(`/shgs/${story.shgC}/statement`)];
      expect(b.feesOwed).toEqual([
        { year: 2005, outstanding: 20_000 },
        { year: 2006, outstanding: 30_000 },
      ]);
      expect(b.savingsBalance).toBe(300_000);
      const bEarlier = await api.ok(`/shgs/${story.shgB}/statement?asOf=2005-04-30`);
      expect(bEarlier).toMatchObject({ savingsBalance: 0, feesOwed: [{ year: 2005, outstanding: 20_000 }] });
      expect(c).toMatchObject({ feesOwed: [{ year: 2005, outstanding: 30_000 }], loans: [] });
    });
  });

  it('answers 404 not_found for a network or SHG it does not know', async () => {
    for (const path of [
      `/networks/${randomUUID()}/dashboard`,
      `/networks/${randomUUID()}/loans`,
      `/shgs/${randomUUID()}/statement`,
      '/shgs/not-an-id/statement',
    ]) {
      const { status, body } = await api.get(path);
      expect({ path, status, error: body.error }).toEqual({ path, status: 404, error: 'not_found' });
    }
  });

  it('answers 400 validation_failed for an asOf that is not a real date, or an unknown parameter', async () => {
    for (const query of ['asOf=2005-02-30', 'asOf=01-09-2005', 'asOf=', 'since=2005-01-01']) {
      const { status, body } = await api.get(`/networks/${story.networkId}/dashboard?${query}`);
      expect({ query, status, error: body.error }).toEqual({ query, status: 400, error: 'validation_failed' });
    }
  });

  it('reports each projection live, with a checkpoint and lag for every partition of its topics', async () => {
    const projections = await api.ok('/projections');
    expect(projections.map((p: { name: string }) => p.name)).toEqual(['network-dashboard', 'loan-book', 'shg-statement']);
    const loanBook = projections[1];
    expect(loanBook).toMatchObject({ status: 'live', rebuild: null });
    expect(loanBook.checkpoints.map((c: { topic: string; partition: number }) => `${c.topic}:${c.partition}`)).toEqual(
      [0, 1, 2, 3, 4, 5].map((partition) => `sangam.lending.events:${partition}`),
    );
    for (const checkpoint of loanBook.checkpoints) expect(checkpoint.lag).toBe(checkpoint.endOffset - checkpoint.offset);
    expect(loanBook.checkpoints.reduce((sum: number, c: { offset: number }) => sum + c.offset, 0)).toBeGreaterThanOrEqual(
      story.events.filter((e) => e.topic === 'lending').length,
    );
    expect(projections[0].checkpoints).toHaveLength(12);
  });
});
