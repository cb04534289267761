import { randomUUID } from 'node:crypto';
import { bankLinkage, groups, LoanStory, type TopicEvent } from './reporting-events';

/**
 * A network of three SHGs with fees, pooled savings, a credit line and loans; C leaves the
 * network owing its 2005 fee. As of 2005-09-01 the common-fund loan to A is 17 days late
 * and the credit-line loan to B 43 days late.
 */
export function networkStory() {
  const networkId = randomUUID();
  const [shgA, shgB, shgC] = [randomUUID(), randomUUID(), randomUUID()];
  const [member, bankId, creditLineId, shgCreditLineId] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
  const network = { type: 'network' as const, id: networkId };

  const fundLoan = new LoanStory({
    lender: network,
    borrower: { type: 'shg', id: shgA },
    principal: 120_000,
    termMonths: 4,
    purpose: 'dairy cattle',
    appliedAt: '2005-06-01T09:00:00.000Z',
  });
  const creditLoan = new LoanStory({
    lender: network,
    borrower: { type: 'shg', id: shgB },
    principal: 1_000_000,
    termMonths: 10,
    purpose: 'cashew processing',
    funding: { source: 'credit-line', creditLineId },
    appliedAt: '2005-06-02T09:00:00.000Z',
  });
  const rejectedLoan = new LoanStory({
    lender: network,
    borrower: { type: 'shg', id: shgA },
    principal: 5_000_000,
    purpose: 'tractor',
    appliedAt: '2005-06-03T09:00:00.000Z',
  });
  const memberLoan = new LoanStory({
    lender: { type: 'shg', id: shgA },
    borrower: { type: 'member', id: member },
    principal: 50_000,
    purpose: 'sewing machine',
    appliedAt: '2005-06-04T09:00:00.000Z',
  });

  const lendingEvents: TopicEvent[] = [
    fundLoan.applied(),
    fundLoan.approved('2005-06-10'),
    fundLoan.disbursed('2005-06-15'),
    ...fundLoan.repaidInstallment(1, '2005-07-15'),
    creditLoan.applied(),
    creditLoan.approved('2005-06-12'),
    creditLoan.disbursementRequested('2005-06-20'),
    creditLoan.disbursed('2005-06-20'),
    rejectedLoan.applied(),
    rejectedLoan.rejected(),
    memberLoan.applied(),
    memberLoan.approved('2005-06-01'),
  ];
  const bankEvents: TopicEvent[] = [
    bankLinkage(creditLineId, {
      type: 'CreditLineSanctioned',
      data: {
        creditLineId,
        bankId,
        borrower: network,
        limit: 2_000_000,
        annualInterestRateBps: 1100,
        sanctionedOn: '2005-05-01',
        expiresOn: '2006-04-30',
      },
    }),
    bankLinkage(creditLineId, {
      type: 'CreditDrawn',
      data: {
        creditLineId,
        drawdownId: randomUUID(),
        amount: 1_000_000,
        drawnOn: '2005-06-20',
        purpose: 'loan',
        loanId: creditLoan.loanId,
        bankReference: null,
      },
    }),
    bankLinkage(creditLineId, {
      type: 'InterestCharged',
      data: { creditLineId, amount: 15_000, chargedOn: '2005-07-31', bankReference: 'INT-7' },
    }),
    bankLinkage(creditLineId, {
      type: 'CreditRepaid',
      data: {
        creditLineId,
        repaymentId: randomUUID(),
        amount: 215_000,
        repaidOn: '2005-08-05',
        allocation: { interest: 15_000, principal: 200_000 },
        bankReference: 'UTR1',
      },
    }),
    bankLinkage(shgCreditLineId, {
      type: 'CreditLineSanctioned',
      data: {
        creditLineId: shgCreditLineId,
        bankId,
        borrower: { type: 'shg', id: shgB },
        limit: 500_000,
        annualInterestRateBps: 1100,
        sanctionedOn: '2005-05-01',
        expiresOn: '2006-04-30',
      },
    }),
  ];
  const fee = (shgId: string, year: number) =>
    groups(networkId, { type: 'AnnualFeeAssessed', data: { networkId, shgId, year, amount: 30_000, assessedOn: `${year}-04-01` } });
  const feePaid = (shgId: string, year: number, amount: number) =>
    groups(networkId, {
      type: 'AnnualFeePaid',
      data: { networkId, shgId, year, amount, paymentId: randomUUID(), paidOn: `${year}-04-20` },
    });
  const joined = (shgId: string) => [
    groups(networkId, { type: 'ShgJoinedNetwork', data: { networkId, shgId, joinedOn: '2005-04-10' } }),
    groups(shgId, { type: 'NetworkMembershipRecorded', data: { networkId, shgId, joinedOn: '2005-04-10' } }),
  ];
  const formed = (shgId: string, name: string) =>
    groups(shgId, { type: 'ShgFormed', data: { shgId, name, village: 'Pinguli', formedOn: '2004-06-01' } });
  const deposited = (shgId: string, amount: number) =>
    groups(shgId, {
      type: 'SavingsDeposited',
      data: { shgId, memberId: member, depositId: randomUUID(), amount, depositedOn: '2005-05-01' },
    });
  const contributionId = randomUUID();
  const groupsEvents: TopicEvent[] = [
    formed(shgA, 'Jai Bhavani SHG'),
    formed(shgB, 'Savitribai SHG'),
    formed(shgC, 'Mahalaxmi SHG'),
    groups(networkId, {
      type: 'NetworkFormed',
      data: { networkId, name: 'Sindhudurg SHG network', cluster: 'Kudal', formedOn: '2005-04-01', annualFee: 30_000 },
    }),
    groups(shgA, { type: 'MemberEnrolled', data: { shgId: shgA, memberId: member, name: 'Sunita Parab', role: 'member' } }),
    ...joined(shgA),
    ...joined(shgB),
    ...joined(shgC),
    deposited(shgA, 500_000),
    deposited(shgB, 300_000),
    groups(shgA, {
      type: 'SavingsWithdrawn',
      data: { shgId: shgA, memberId: member, withdrawalId: randomUUID(), amount: 50_000, withdrawnOn: '2005-05-10' },
    }),
    fee(shgA, 2005),
    fee(shgB, 2005),
    fee(shgC, 2005),
    feePaid(shgA, 2005, 30_000),
    feePaid(shgB, 2005, 10_000),
    groups(networkId, {
      type: 'FundContributed',
      data: { networkId, shgId: shgA, contributionId, amount: 200_000, contributedOn: '2005-05-15' },
    }),
    groups(shgA, { type: 'SavingsPooled', data: { shgId: shgA, networkId, contributionId, amount: 200_000, pooledOn: '2005-05-15' } }),
    groups(networkId, { type: 'ShgExitedNetwork', data: { networkId, shgId: shgC, exitedOn: '2005-12-31' } }),
    groups(shgC, { type: 'NetworkExitRecorded', data: { networkId, shgId: shgC, exitedOn: '2005-12-31' } }),
    fee(shgA, 2006),
    fee(shgB, 2006),
    feePaid(shgA, 2006, 30_000),
  ];
  return {
    networkId,
    shgA,
    shgB,
    shgC,
    member,
    bankId,
    creditLineId,
    fundLoan,
    creditLoan,
    rejectedLoan,
    memberLoan,
    /** Loans and credit lines first: reporting sees them before the network and SHGs they belong to. */
    events: [...lendingEvents, ...bankEvents, ...groupsEvents],
  };
}
