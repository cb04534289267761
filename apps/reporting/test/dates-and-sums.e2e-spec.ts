import { randomUUID } from 'node:crypto';
import { addDays, businessDateRanges } from '@sangam/domain';
import type { Kafka } from 'kafkajs';
import { createScratchTopic, deleteScratchTopic, startService, testKafka, waitFor, type RunningService } from '@sangam/testing';
import type { TopicNames } from '../src/projections/projection';
import { ReportingModule } from '../src/reporting.module';
import { bankLinkage, groups, LoanStory, type TopicEvent } from './reporting-events';
import { ReportingApi } from './reporting-api';
import { ReportingPublisher } from './reporting-publisher';

const E12 = 1_000_000_000_000;

describe('reporting: every date the services accept is projected, and a sum past 2^53 - 1 paise is answered, not a 500', () => {
  let service: RunningService;
  let publisher: ReportingPublisher;
  let api: ReportingApi;
  let kafka: Kafka;
  let topics: TopicNames;

  /** Topics of its own: 18,000 loan events on the shared topics would be read again by every fresh test consumer. */
  beforeAll(async () => {
    kafka = testKafka();
    topics = {
      groups: await createScratchTopic(kafka, 'reporting_edges_groups'),
      lending: await createScratchTopic(kafka, 'reporting_edges_lending'),
      bankLinkage: await createScratchTopic(kafka, 'reporting_edges_bank_linkage'),
    };
    service = await startService('reporting', (config) => ReportingModule.forRoot(config, topics), {
      databasePrefix: 'sangam_test_reporting_edges',
    });
    api = new ReportingApi(service.url);
    publisher = await ReportingPublisher.connect();
  });

  afterAll(async () => {
    await publisher?.disconnect();
    await service?.stop();
    for (const topic of Object.values(topics ?? {})) await deleteScratchTopic(kafka, topic);
  });

  /** Many events: the broker takes a record batch of at most 1 MiB. */
  const publishInChunks = async (events: TopicEvent[]) => {
    for (let i = 0; i < events.length; i += 500) await publisher.publish(events.slice(i, i + 500), topics);
  };

  it('projects facts dated at both ends of the widest range the services can be configured to accept', async () => {
    // BUSINESS_DATE_MIN may go down to 1000-01-01 and BUSINESS_DATE_FUTURE_DAYS up to 366; expiresOn lies up to 50 years ahead.
    const today = new Date().toISOString().slice(0, 10);
    const { occurred, planned } = businessDateRanges({ earliest: '1000-01-01', futureDays: 366 }, today);
    const [first, last] = [occurred.from, occurred.to];
    const networkId = randomUUID();
    const [shgId, memberId, creditLineId, bankId] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    const contribution = (amount: number, on: string): TopicEvent[] => {
      const contributionId = randomUUID();
      return [
        groups(networkId, { type: 'FundContributed', data: { networkId, shgId, contributionId, amount, contributedOn: on } }),
        groups(shgId, { type: 'SavingsPooled', data: { shgId, networkId, contributionId, amount, pooledOn: on } }),
      ];
    };
    await publishInChunks([
      groups(networkId, {
        type: 'NetworkFormed',
        data: { networkId, name: 'Oldest federation', cluster: 'Kudal', formedOn: first, annualFee: 30_000 },
      }),
      groups(shgId, { type: 'ShgFormed', data: { shgId, name: 'Oldest SHG', village: 'Kudal', formedOn: first } }),
      groups(networkId, { type: 'ShgJoinedNetwork', data: { networkId, shgId, joinedOn: first } }),
      groups(shgId, { type: 'NetworkMembershipRecorded', data: { networkId, shgId, joinedOn: first } }),
      groups(shgId, { type: 'SavingsDeposited', data: { shgId, memberId, depositId: randomUUID(), amount: 500_000, depositedOn: first } }),
      groups(shgId, { type: 'SavingsDeposited', data: { shgId, memberId, depositId: randomUUID(), amount: 70_000, depositedOn: last } }),
      ...contribution(100_000, first),
      ...contribution(20_000, last),
      groups(networkId, { type: 'AnnualFeeAssessed', data: { networkId, shgId, year: 1000, amount: 30_000, assessedOn: first } }),
      groups(networkId, {
        type: 'AnnualFeePaid',
        data: { networkId, shgId, paymentId: randomUUID(), year: 1000, amount: 30_000, paidOn: last },
      }),
      bankLinkage(creditLineId, {
        type: 'CreditLineSanctioned',
        data: {
          creditLineId,
          bankId,
          borrower: { type: 'network', id: networkId },
          limit: 1_000_000,
          annualInterestRateBps: 900,
          sanctionedOn: first,
          expiresOn: planned.to,
        },
      }),
      bankLinkage(creditLineId, {
        type: 'CreditDrawn',
        data: {
          creditLineId,
          drawdownId: randomUUID(),
          amount: 400_000,
          drawnOn: first,
          purpose: 'Rice mill',
          loanId: null,
          bankReference: null,
        },
      }),
      bankLinkage(creditLineId, { type: 'InterestCharged', data: { creditLineId, amount: 9_000, chargedOn: last, bankReference: null } }),
    ]);

    await waitFor(async () => {
      expect(await api.ok(`/networks/${networkId}/dashboard?asOf=${last}`)).toMatchObject({
        memberShgCount: 1,
        commonFund: { feesCollected: 30_000, contributions: 120_000 },
        fees: [{ year: 1000, assessed: 30_000, collected: 30_000, outstanding: 0, unpaidShgIds: [] }],
        creditLines: [{ id: creditLineId, drawn: 400_000, interestCharged: 9_000 }],
      });
      expect(await api.ok(`/shgs/${shgId}/statement?asOf=${last}`)).toMatchObject({
        savingsBalance: 570_000 - 120_000,
        pooledSavings: 120_000,
      });
    }, 60_000);
    expect(await api.ok(`/networks/${networkId}/dashboard?asOf=${first}`)).toMatchObject({
      commonFund: { feesCollected: 0, contributions: 100_000 },
      fees: [{ year: 1000, assessed: 30_000, collected: 0, outstanding: 30_000, unpaidShgIds: [shgId] }],
      creditLines: [{ drawn: 400_000, interestCharged: 0 }],
    });
    expect(await api.ok(`/networks/${networkId}/dashboard?asOf=${addDays(first, -1)}`)).toMatchObject({
      memberShgCount: 0,
      fees: [],
      creditLines: [],
    });
    const projections: { name: string; status: string; deadLetters: unknown[] }[] = await api.ok('/projections');
    expect(projections.map(({ name, status, deadLetters }) => ({ name, status, deadLetters }))).toEqual(
      projections.map(({ name }) => ({ name, status: 'live', deadLetters: [] })),
    );
  });

  it('shows nothing owed for a network that charges no fee: its zero assessments list no fee year and owe nothing', async () => {
    const [networkId, shgId] = [randomUUID(), randomUUID()];
    await publishInChunks([
      groups(networkId, {
        type: 'NetworkFormed',
        data: { networkId, name: 'Chanderi weavers', cluster: 'Chanderi', formedOn: '2006-01-10', annualFee: 0 },
      }),
      groups(shgId, { type: 'ShgFormed', data: { shgId, name: 'Pranpur weavers', village: 'Pranpur', formedOn: '2005-08-01' } }),
      groups(networkId, { type: 'ShgJoinedNetwork', data: { networkId, shgId, joinedOn: '2006-01-20' } }),
      groups(networkId, { type: 'AnnualFeeAssessed', data: { networkId, shgId, year: 2006, amount: 0, assessedOn: '2006-01-31' } }),
    ]);
    await waitFor(
      async () =>
        expect(await api.ok(`/networks/${networkId}/dashboard?asOf=2006-12-31`)).toMatchObject({
          memberShgCount: 1,
          fees: [],
          commonFund: { feesCollected: 0 },
        }),
      60_000,
    );
    await waitFor(async () => expect(await api.ok(`/shgs/${shgId}/statement?asOf=2006-12-31`)).toMatchObject({ feesOwed: [] }), 60_000);
  });

  it("answers 422 amount_too_large, naming no wrong number, when a network's loan book passes 2^53 - 1 paise, and states earlier dates", async () => {
    const networkId = randomUUID();
    const network = { type: 'network' as const, id: networkId };
    const loans = Array.from(
      { length: 9_008 },
      () =>
        new LoanStory({ lender: network, borrower: { type: 'shg', id: randomUUID() }, principal: E12, termMonths: 1, purpose: 'weaving' }),
    );
    await publishInChunks([
      groups(networkId, {
        type: 'NetworkFormed',
        data: { networkId, name: 'A very large federation', cluster: 'Chanderi', formedOn: '2005-04-01', annualFee: 0 },
      }),
      ...loans.flatMap((loan, i) => [loan.applied(), loan.disbursed(i === 0 ? '2005-06-14' : '2005-06-15')]),
    ]);

    const tooLarge = await waitFor(async () => {
      const answer = await api.get(`/networks/${networkId}/dashboard?asOf=2005-06-20`);
      expect(answer.status).toBe(422);
      return answer;
    }, 120_000);
    expect(tooLarge.body).toEqual({ error: 'amount_too_large', message: expect.stringContaining('9007199254740991') });
    expect(await api.ok(`/networks/${networkId}/dashboard?asOf=2005-06-14`)).toMatchObject({
      loans: { count: 9_008, active: 1, disbursedPrincipal: E12, outstandingPrincipal: E12 },
      commonFund: { lentOut: E12, balance: -E12 },
    });
  }, 180_000);
});
