import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { bankLinkage, groups, LoanStory, type TopicEvent } from './reporting-events';

export interface NetworkPlan {
  shgs: { deposits: number[]; withdrawal: number; pooled: number; feePaid: number; leaves: boolean }[];
  loans: { borrower: number; principal: number; termMonths: number; fate: Fate; creditLine: boolean; repayments: number[] }[];
  creditLine: { draws: number[]; interest: number; repaid: number } | null;
}

type Fate = 'applied' | 'approved' | 'rejected' | 'pending' | 'failed' | 'active';

const amount = (max: number) => fc.integer({ min: 1, max });

export const networkPlans: fc.Arbitrary<NetworkPlan> = fc.record({
  shgs: fc.array(
    fc.record({
      deposits: fc.array(amount(1_000_000), { minLength: 1, maxLength: 3 }),
      withdrawal: fc.nat({ max: 100_000 }),
      pooled: fc.nat({ max: 200_000 }),
      feePaid: fc.nat({ max: 30_000 }),
      leaves: fc.boolean(),
    }),
    { minLength: 1, maxLength: 3 },
  ),
  loans: fc.array(
    fc.record({
      borrower: fc.nat(),
      principal: amount(2_000_000),
      termMonths: fc.integer({ min: 1, max: 6 }),
      fate: fc.constantFrom<Fate>('applied', 'approved', 'rejected', 'pending', 'failed', 'active'),
      creditLine: fc.boolean(),
      repayments: fc.array(amount(500_000), { maxLength: 4 }),
    }),
    { maxLength: 4 },
  ),
  creditLine: fc.option(
    fc.record({
      draws: fc.array(amount(1_000_000), { maxLength: 3 }),
      interest: fc.nat({ max: 20_000 }),
      repaid: fc.nat({ max: 500_000 }),
    }),
    { nil: null },
  ),
});

const monthAfter = (date: string, months: number) => `2005-${String(6 + months).padStart(2, '0')}-${date.slice(8)}`;

function loanStream(networkId: string, shgId: string, creditLineId: string, plan: NetworkPlan['loans'][number]): TopicEvent[] {
  const story = new LoanStory({
    lender: { type: 'network', id: networkId },
    borrower: { type: 'shg', id: shgId },
    principal: plan.principal,
    termMonths: plan.termMonths,
    purpose: 'working capital',
    funding: plan.creditLine ? { source: 'credit-line', creditLineId } : { source: 'common-fund', creditLineId: null },
  });
  const events = [story.applied()];
  if (plan.fate === 'rejected') return [...events, story.rejected()];
  if (plan.fate === 'applied') return events;
  events.push(story.approved('2005-06-01'));
  if (plan.fate === 'approved') return events;
  if (plan.creditLine) events.push(story.disbursementRequested('2005-06-05'));
  if (plan.fate === 'pending' && plan.creditLine) return events;
  if (plan.fate === 'failed' && plan.creditLine) return [...events, story.fundingFailed('2005-06-05')];
  events.push(story.disbursed('2005-06-05'));
  let owed = story.schedule.reduce((sum, i) => sum + i.principal + i.interest, 0);
  plan.repayments.forEach((wanted, n) => {
    const paid = Math.min(wanted, owed);
    owed -= paid;
    if (paid > 0) events.push(...story.repaid(paid, monthAfter('2005-06-05', n + 1)));
  });
  return events;
}

/** The streams a network's life is made of, each in the order its service publishes it. */
export function networkStreams(plan: NetworkPlan): { networkId: string; shgIds: string[]; streams: TopicEvent[][] } {
  const networkId = randomUUID();
  const creditLineId = randomUUID();
  const shgIds = plan.shgs.map(() => randomUUID());
  const network: TopicEvent[] = [
    groups(networkId, {
      type: 'NetworkFormed',
      data: { networkId, name: 'Kudal network', cluster: 'Kudal', formedOn: '2005-04-01', annualFee: 30_000 },
    }),
  ];
  const shgStreams = plan.shgs.map((shg, i) => {
    const shgId = shgIds[i];
    const deposited = shg.deposits.reduce((a, b) => a + b, 0);
    const withdrawal = Math.min(shg.withdrawal, deposited);
    const pooled = Math.min(shg.pooled, deposited - withdrawal);
    const contributionId = randomUUID();
    network.push(
      groups(networkId, { type: 'ShgJoinedNetwork', data: { networkId, shgId, joinedOn: '2005-04-10' } }),
      groups(networkId, { type: 'AnnualFeeAssessed', data: { networkId, shgId, year: 2005, amount: 30_000, assessedOn: '2005-04-15' } }),
    );
    if (shg.feePaid > 0)
      network.push(
        groups(networkId, {
          type: 'AnnualFeePaid',
          data: { networkId, shgId, year: 2005, amount: shg.feePaid, paymentId: randomUUID(), paidOn: '2005-04-20' },
        }),
      );
    if (pooled > 0)
      network.push(
        groups(networkId, {
          type: 'FundContributed',
          data: { networkId, shgId, contributionId, amount: pooled, contributedOn: '2005-05-01' },
        }),
      );
    if (shg.leaves) network.push(groups(networkId, { type: 'ShgExitedNetwork', data: { networkId, shgId, exitedOn: '2005-12-31' } }));
    return [
      groups(shgId, { type: 'ShgFormed', data: { shgId, name: `SHG ${i}`, village: 'Pinguli', formedOn: '2004-06-01' } }),
      ...shg.deposits.map((amount) =>
        groups(shgId, {
          type: 'SavingsDeposited',
          data: { shgId, memberId: 'm', depositId: randomUUID(), amount, depositedOn: '2005-04-05' },
        }),
      ),
      groups(shgId, { type: 'NetworkMembershipRecorded', data: { networkId, shgId, joinedOn: '2005-04-10' } }),
      ...(withdrawal > 0
        ? [
            groups(shgId, {
              type: 'SavingsWithdrawn',
              data: { shgId, memberId: 'm', withdrawalId: randomUUID(), amount: withdrawal, withdrawnOn: '2005-04-11' },
            }),
          ]
        : []),
      ...(pooled > 0
        ? [groups(shgId, { type: 'SavingsPooled', data: { shgId, networkId, contributionId, amount: pooled, pooledOn: '2005-05-01' } })]
        : []),
      ...(shg.leaves ? [groups(shgId, { type: 'NetworkExitRecorded', data: { networkId, shgId, exitedOn: '2005-12-31' } })] : []),
    ];
  });
  const line: TopicEvent[] = [];
  if (plan.creditLine) {
    const { draws, interest, repaid } = plan.creditLine;
    const drawn = draws.reduce((a, b) => a + b, 0);
    line.push(
      bankLinkage(creditLineId, {
        type: 'CreditLineSanctioned',
        data: {
          creditLineId,
          bankId: 'bank',
          borrower: { type: 'network', id: networkId },
          limit: 5_000_000,
          annualInterestRateBps: 1100,
          sanctionedOn: '2005-05-01',
          expiresOn: '2006-04-30',
        },
      }),
    );
    line.push(
      ...draws.map((amount) =>
        bankLinkage(creditLineId, {
          type: 'CreditDrawn',
          data: {
            creditLineId,
            drawdownId: randomUUID(),
            amount,
            drawnOn: '2005-06-01',
            purpose: 'loans',
            loanId: null,
            bankReference: null,
          },
        }),
      ),
    );
    if (interest > 0)
      line.push(
        bankLinkage(creditLineId, {
          type: 'InterestCharged',
          data: { creditLineId, amount: interest, chargedOn: '2005-06-30', bankReference: null },
        }),
      );
    const allocation = { interest: Math.min(repaid, interest), principal: Math.min(repaid - Math.min(repaid, interest), drawn) };
    if (allocation.interest + allocation.principal > 0) {
      line.push(
        bankLinkage(creditLineId, {
          type: 'CreditRepaid',
          data: {
            creditLineId,
            repaymentId: randomUUID(),
            amount: allocation.interest + allocation.principal,
            repaidOn: '2005-07-01',
            allocation,
            bankReference: null,
          },
        }),
      );
    }
  }
  const loans = plan.loans.map((loan) => loanStream(networkId, shgIds[loan.borrower % shgIds.length], creditLineId, loan));
  return { networkId, shgIds, streams: [network, ...shgStreams, line, ...loans].filter((s) => s.length > 0) };
}

/** Merges streams in the order `picks` chooses, each stream staying in its own order (as on its partition). */
export function interleave(streams: readonly TopicEvent[][], picks: readonly number[]): TopicEvent[] {
  const cursors = streams.map(() => 0);
  const merged: TopicEvent[] = [];
  for (let i = 0; ; i++) {
    const open = streams.map((_, k) => k).filter((k) => cursors[k] < streams[k].length);
    if (open.length === 0) return merged;
    const k = open[picks[i % picks.length] % open.length];
    merged.push(streams[k][cursors[k]++]);
  }
}

/** Cuts events into consecutive batches of the given sizes (cycling through them). */
export function batches<T>(events: readonly T[], sizes: readonly number[]): T[][] {
  const result: T[][] = [];
  let start = 0;
  for (let i = 0; start < events.length; i++) {
    const size = sizes[i % sizes.length];
    result.push(events.slice(start, start + size));
    start += size;
  }
  return result;
}
