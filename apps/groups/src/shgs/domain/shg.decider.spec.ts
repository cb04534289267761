import { fold } from '@sangam/domain';
import { deciderSpec } from '@sangam/testing';
import { MAX_MEMBERS, savingsCeiling, shgDecider, type FormedShg, type ShgCommand } from './shg.decider';
import { SHG_STREAM_TYPE, type ShgEvent } from './shg.events';

const spec = deciderSpec(shgDecider);
const shgId = 'shg-1';
const networkId = 'network-1';
const savita = 'member-savita';
const asha = 'member-asha';

const formed: ShgEvent = { type: 'ShgFormed', data: { shgId, name: 'Mahila Shakti', village: 'Kudal', formedOn: '2005-04-01' } };
const enrolled = (memberId: string): ShgEvent => ({ type: 'MemberEnrolled', data: { shgId, memberId, name: memberId, role: 'member' } });
const deposited = (memberId: string, amount: number): ShgEvent => ({
  type: 'SavingsDeposited',
  data: { shgId, memberId, depositId: `d-${memberId}-${amount}`, amount, depositedOn: '2005-05-01' },
});
const joined: ShgEvent = { type: 'NetworkMembershipRecorded', data: { shgId, networkId, joinedOn: '2005-06-01' } };
const exited: ShgEvent = { type: 'NetworkExitRecorded', data: { shgId, networkId, exitedOn: '2006-03-31' } };
const pooled = (amount: number): ShgEvent => ({
  type: 'SavingsPooled',
  data: { shgId, networkId, contributionId: `c-${amount}`, amount, pooledOn: '2005-07-01' },
});

const withTwoSavers = [formed, enrolled(savita), enrolled(asha), deposited(savita, 10_000), deposited(asha, 5_000)];

const withdraw = (memberId: string, amount: number): ShgCommand => ({
  type: 'WithdrawSavings',
  data: {
    shgId,
    withdrawalId: 'w-1',
    memberId,
    amount,
    withdrawnOn: '2005-08-01',
  },
});
const pool = (amount: number, network = networkId): ShgCommand => ({
  type: 'PoolSavings',
  data: {
    shgId,
    networkId: network,
    contributionId: 'c-new',
    amount,
    pooledOn: '2005-07-01',
  },
});

describe('SHG decider', () => {
  describe('forming', () => {
    it('forms an SHG', () =>
      spec
        .given([])
        .when({ type: 'FormShg', data: { shgId, name: 'Mahila Shakti', village: 'Kudal', formedOn: '2005-04-01' } })
        .then([formed]));

    it('refuses to form an SHG twice', () =>
      spec
        .given([formed])
        .when({ type: 'FormShg', data: { shgId, name: 'Again', village: 'Kudal', formedOn: '2005-04-01' } })
        .thenThrows('conflict'));
  });

  describe('enrolling members', () => {
    const enrol: ShgCommand = { type: 'EnrolMember', data: { shgId, memberId: savita, name: 'Savita Naik', role: 'leader' } };

    it('enrols a member with her role', () =>
      spec
        .given([formed])
        .when(enrol)
        .then([{ type: 'MemberEnrolled', data: { shgId, memberId: savita, name: 'Savita Naik', role: 'leader' } }]));

    it('answers not_found for an SHG that was never formed', () => spec.given([]).when(enrol).thenThrows('not_found'));

    it('enrols the twentieth member', () => {
      const nineteen = Array.from({ length: MAX_MEMBERS - 1 }, (_, i) => enrolled(`m-${i}`));
      spec
        .given([formed, ...nineteen])
        .when(enrol)
        .then([expect.objectContaining({ type: 'MemberEnrolled' }) as ShgEvent]);
    });

    it('refuses a twenty-first member with shg_full', () => {
      const twenty = Array.from({ length: MAX_MEMBERS }, (_, i) => enrolled(`m-${i}`));
      spec
        .given([formed, ...twenty])
        .when(enrol)
        .thenThrows('shg_full');
    });
  });

  describe('deposits', () => {
    const deposit = (memberId: string): ShgCommand => ({
      type: 'DepositSavings',
      data: {
        shgId,
        depositId: 'd-new',
        memberId,
        amount: 2_500,
        depositedOn: '2005-05-01',
      },
    });

    it("records a deposit to a member's savings", () =>
      spec
        .given([formed, enrolled(savita)])
        .when(deposit(savita))
        .then([
          { type: 'SavingsDeposited', data: { shgId, memberId: savita, depositId: 'd-new', amount: 2_500, depositedOn: '2005-05-01' } },
        ]));

    it('refuses a deposit for someone who is not a member with unknown_member', () =>
      spec
        .given([formed, enrolled(savita)])
        .when(deposit('stranger'))
        .thenThrows('unknown_member'));

    it('answers not_found for an unknown SHG', () => spec.given([]).when(deposit(savita)).thenThrows('not_found'));
  });

  describe('withdrawals', () => {
    it('pays out up to everything the member saved', () =>
      spec
        .given(withTwoSavers)
        .when(withdraw(savita, 10_000))
        .then([
          { type: 'SavingsWithdrawn', data: { shgId, memberId: savita, withdrawalId: 'w-1', amount: 10_000, withdrawnOn: '2005-08-01' } },
        ]));

    it('refuses more than the member saved, even when the SHG holds more, with insufficient_savings', () =>
      spec.given(withTwoSavers).when(withdraw(asha, 5_001)).thenThrows('insufficient_savings'));

    it('counts earlier withdrawals against her savings', () =>
      spec
        .given([
          ...withTwoSavers,
          { type: 'SavingsWithdrawn', data: { shgId, memberId: savita, withdrawalId: 'w-0', amount: 9_000, withdrawnOn: '2005-07-01' } },
        ])
        .when(withdraw(savita, 1_001))
        .thenThrows('insufficient_savings'));

    it('refuses to pay out savings that were pooled into the common fund with insufficient_savings', () =>
      spec
        .given([...withTwoSavers, joined, pooled(12_000)])
        .when(withdraw(savita, 3_001))
        .thenThrows('insufficient_savings'));

    it('pays out what is still free after pooling', () =>
      spec
        .given([...withTwoSavers, joined, pooled(12_000)])
        .when(withdraw(savita, 3_000))
        .then([expect.objectContaining({ type: 'SavingsWithdrawn' }) as ShgEvent]));

    it('refuses a withdrawal for someone who is not a member with unknown_member', () =>
      spec.given(withTwoSavers).when(withdraw('stranger', 1)).thenThrows('unknown_member'));
  });

  describe('network membership', () => {
    const join = (network = networkId): ShgCommand => ({
      type: 'RecordNetworkMembership',
      data: { shgId, networkId: network, joinedOn: '2005-06-01' },
    });
    const exit: ShgCommand = { type: 'RecordNetworkExit', data: { shgId, networkId, exitedOn: '2006-03-31' } };

    it('records that the SHG joined a network', () => spec.given([formed]).when(join()).then([joined]));

    it('refuses a second network with already_in_network', () =>
      spec.given([formed, joined]).when(join('network-2')).thenThrows('already_in_network'));

    it('refuses to join the same network twice with already_in_network', () =>
      spec.given([formed, joined]).when(join()).thenThrows('already_in_network'));

    it('joins another network after leaving the first', () =>
      spec
        .given([formed, joined, exited])
        .when({ type: 'RecordNetworkMembership', data: { shgId, networkId: 'network-2', joinedOn: '2006-03-31' } })
        .then([{ type: 'NetworkMembershipRecorded', data: { shgId, networkId: 'network-2', joinedOn: '2006-03-31' } }]));

    it('answers not_found when an unknown SHG joins', () => spec.given([]).when(join()).thenThrows('not_found'));

    it('records that the SHG left its network', () => spec.given([formed, joined]).when(exit).then([exited]));

    it('refuses to leave a network the SHG is not in with not_a_member', () => spec.given([formed]).when(exit).thenThrows('not_a_member'));
  });

  describe('pooling savings into the common fund', () => {
    it('pools part of the free savings', () =>
      spec
        .given([...withTwoSavers, joined])
        .when(pool(15_000))
        .then([{ type: 'SavingsPooled', data: { shgId, networkId, contributionId: 'c-new', amount: 15_000, pooledOn: '2005-07-01' } }]));

    it('refuses more than the free savings with insufficient_savings', () =>
      spec
        .given([...withTwoSavers, joined])
        .when(pool(15_001))
        .thenThrows('insufficient_savings'));

    it('counts savings already pooled as no longer free', () =>
      spec
        .given([...withTwoSavers, joined, pooled(10_000)])
        .when(pool(5_001))
        .thenThrows('insufficient_savings'));

    it('refuses to pool into a network the SHG is not in with not_a_member', () =>
      spec
        .given([...withTwoSavers, joined])
        .when(pool(100, 'network-2'))
        .thenThrows('not_a_member'));

    it('refuses to pool after the SHG left the network with not_a_member', () =>
      spec
        .given([...withTwoSavers, joined, exited])
        .when(pool(100))
        .thenThrows('not_a_member'));
  });

  describe('lending its savings to a member (lending asks, groups owns the money)', () => {
    const lend = (amount: number, memberId = savita, loanId = 'loan-1'): ShgCommand => ({
      type: 'LendSavings',
      data: { shgId, loanId, memberId, amount, lentOn: '2005-09-01' },
    });
    const lent = (amount: number, loanId = 'loan-1'): ShgEvent => ({
      type: 'ShgSavingsLent',
      data: { shgId, loanId, memberId: savita, amount, lentOn: '2005-09-01' },
    });
    const refused = (amount: number, reason: string, loanId = 'loan-1'): ShgEvent => ({
      type: 'ShgSavingsLendingRejected',
      data: { shgId, loanId, amount, reason, rejectedOn: '2005-09-01' },
    });
    const repayment = (principal: number, interest: number, repaymentId = 'r-1'): ShgCommand => ({
      type: 'RecordLoanRepayment',
      data: { shgId, loanId: 'loan-1', repaymentId, principal, interest, paidOn: '2005-10-01' },
    });
    const repaid = (principal: number, interest: number, repaymentId = 'r-1'): ShgEvent => ({
      type: 'ShgLoanRepaid',
      data: { shgId, loanId: 'loan-1', repaymentId, principal, interest, paidOn: '2005-10-01' },
    });

    it('lends from free savings, up to the last paisa', () =>
      spec
        .given(withTwoSavers)
        .when(lend(15_000))
        .then([lent(15_000)]));

    it('refuses more than the free savings, counting what is pooled and already lent', () => {
      spec
        .given(withTwoSavers)
        .when(lend(15_001))
        .then([refused(15_001, 'insufficient_savings')]);
      spec
        .given([...withTwoSavers, joined, pooled(5_000)])
        .when(lend(10_001))
        .then([refused(10_001, 'insufficient_savings')]);
      spec
        .given([...withTwoSavers, lent(10_000)])
        .when(lend(5_001, savita, 'loan-2'))
        .then([refused(5_001, 'insufficient_savings', 'loan-2')]);
    });

    it('refuses a borrower who is not a member', () =>
      spec
        .given(withTwoSavers)
        .when(lend(100, 'stranger'))
        .then([refused(100, 'unknown_member')]));

    it('answers each loan once, whatever redelivers the request', () => {
      spec
        .given([...withTwoSavers, lent(10_000)])
        .when(lend(10_000))
        .then([]);
      spec
        .given([...withTwoSavers, refused(20_000, 'insufficient_savings')])
        .when(lend(1_000))
        .then([]);
    });

    it('does not pay out or pool what is lent', () => {
      spec
        .given([...withTwoSavers, lent(14_000)])
        .when(withdraw(asha, 1_001))
        .thenThrows('insufficient_savings');
      spec
        .given([...withTwoSavers, joined, lent(14_000)])
        .when(pool(1_001))
        .thenThrows('insufficient_savings');
    });

    it('frees the principal repaid and earns the interest, counting each repayment once', () => {
      spec
        .given([...withTwoSavers, lent(10_000)])
        .when(repayment(1_000, 200))
        .then([repaid(1_000, 200)]);
      spec
        .given([...withTwoSavers, lent(10_000), repaid(1_000, 200)])
        .when(repayment(1_000, 200))
        .then([]);
      spec.given(withTwoSavers).when(repayment(1_000, 200)).then([]);
    });

    it('folds loans into lent, earned and free funds', () => {
      const state = fold(shgDecider.evolve, shgDecider.initialState(), [
        ...withTwoSavers,
        lent(10_000),
        repaid(4_000, 300),
        repaid(1_000, 100, 'r-2'),
      ]);
      expect(state).toMatchObject({ savingsBalance: 15_000n - 10_000n + 5_000n + 400n, lentToMembers: 5_000n, interestEarned: 400n });
      spec
        .given([...withTwoSavers, lent(10_000), repaid(4_000, 300)])
        .when(withdraw(savita, 9_301))
        .thenThrows('insufficient_savings');
      spec
        .given([...withTwoSavers, lent(10_000), repaid(4_000, 300)])
        .when(withdraw(savita, 9_300))
        .then([
          { type: 'SavingsWithdrawn', data: { shgId, memberId: savita, withdrawalId: 'w-1', amount: 9_300, withdrawnOn: '2005-08-01' } },
        ]);
    });

    const stateAfter = (events: ShgEvent[]) => fold(shgDecider.evolve, shgDecider.initialState(), events) as FormedShg;

    it('keeps each loan it lent with the principal still out, the repayments counted and the most interest still to come', () => {
      expect(stateAfter(withTwoSavers)).toMatchObject({ memberLoans: {}, refusedLoanIds: [] });
      expect(stateAfter([...withTwoSavers, lent(10_000)]).memberLoans).toEqual({
        'loan-1': { outstanding: 10_000n, repaymentIds: [], interestToCome: 30_000n },
      });
      expect(stateAfter([...withTwoSavers, lent(10_000), repaid(4_000, 300), repaid(1_000, 100, 'r-2')]).memberLoans).toEqual({
        'loan-1': { outstanding: 5_000n, repaymentIds: ['r-1', 'r-2'], interestToCome: 29_600n },
      });
      expect(stateAfter([...withTwoSavers, refused(20_000, 'insufficient_savings')]).refusedLoanIds).toEqual(['loan-1']);
    });

    it('expects no more interest once the principal is repaid, or once as much interest came in as the loan could bring', () => {
      expect(stateAfter([...withTwoSavers, lent(10_000), repaid(4_000, 0), repaid(6_000, 0, 'r-2')]).memberLoans['loan-1']).toEqual({
        outstanding: 0n,
        repaymentIds: ['r-1', 'r-2'],
        interestToCome: 0n,
      });
      // More interest than the 3 x principal lending can schedule: never a negative amount still to come.
      expect(stateAfter([...withTwoSavers, lent(10_000), repaid(1_000, 30_001)]).memberLoans['loan-1'].interestToCome).toBe(0n);
    });

    it('counts a recorded repayment of a loan it holds no record of, once', () => {
      const state = stateAfter([...withTwoSavers, repaid(1_000, 200)]);
      expect(state).toMatchObject({ savingsBalance: 15_000n + 1_200n, lentToMembers: -1_000n, interestEarned: 200n });
      expect(state.memberLoans).toEqual({ 'loan-1': { outstanding: -1_000n, repaymentIds: ['r-1'], interestToCome: 0n } });
      spec
        .given([...withTwoSavers, repaid(1_000, 200)])
        .when(repayment(1_000, 200))
        .then([]);
    });
  });

  describe('dates in order', () => {
    const on = <C extends ShgCommand>(command: C, date: Partial<C['data']>): ShgCommand =>
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- the rule is wrong here: tsc rejects the spread of a generic command's data without it
      ({ ...command, data: { ...command.data, ...date } }) as C;
    const deposit: ShgCommand = {
      type: 'DepositSavings',
      data: { shgId, depositId: 'd-new', memberId: savita, amount: 2_500, depositedOn: '2005-04-01' },
    };
    const join: ShgCommand = { type: 'RecordNetworkMembership', data: { shgId, networkId: 'network-2', joinedOn: '2005-04-01' } };
    const lend: ShgCommand = {
      type: 'LendSavings',
      data: { shgId, loanId: 'loan-1', memberId: savita, amount: 1_000, lentOn: '2005-04-01' },
    };

    it('takes a deposit dated the day the SHG was formed, not the day before, with date_out_of_order', () => {
      spec
        .given([formed, enrolled(savita)])
        .when(deposit)
        .then([expect.objectContaining({ type: 'SavingsDeposited' }) as ShgEvent]);
      spec
        .given([formed, enrolled(savita)])
        .when(on(deposit, { depositedOn: '2005-03-31' }))
        .thenThrows('date_out_of_order', { fields: ['depositedOn'] });
    });

    it('refuses a withdrawal dated before the SHG was formed with date_out_of_order', () => {
      spec
        .given(withTwoSavers)
        .when(withdraw(savita, 100))
        .then([expect.objectContaining({ type: 'SavingsWithdrawn' }) as ShgEvent]);
      spec
        .given(withTwoSavers)
        .when(on(withdraw(savita, 100), { withdrawnOn: '2005-03-31' }))
        .thenThrows('date_out_of_order', { fields: ['withdrawnOn'] });
    });

    it('refuses to join a network before the SHG was formed with date_out_of_order', () => {
      spec
        .given([formed])
        .when(join)
        .then([expect.objectContaining({ type: 'NetworkMembershipRecorded' }) as ShgEvent]);
      spec
        .given([formed])
        .when(on(join, { joinedOn: '2005-03-31' }))
        .thenThrows('date_out_of_order', { fields: ['joinedOn'] });
    });

    it('refuses to join a network before the SHG left its last one with date_out_of_order', () => {
      spec
        .given([formed, joined, exited])
        .when(on(join, { joinedOn: '2006-03-31' }))
        .then([expect.objectContaining({ type: 'NetworkMembershipRecorded' }) as ShgEvent]);
      spec
        .given([formed, joined, exited])
        .when(on(join, { joinedOn: '2006-03-30' }))
        .thenThrows('date_out_of_order', { fields: ['joinedOn'] });
    });

    it('refuses to lend savings on a date before the SHG was formed, answering the loan with date_out_of_order', () => {
      spec
        .given(withTwoSavers)
        .when(lend)
        .then([{ type: 'ShgSavingsLent', data: { shgId, loanId: 'loan-1', memberId: savita, amount: 1_000, lentOn: '2005-04-01' } }]);
      spec
        .given(withTwoSavers)
        .when(on(lend, { lentOn: '2005-03-31' }))
        .then([
          {
            type: 'ShgSavingsLendingRejected',
            data: { shgId, loanId: 'loan-1', amount: 1_000, reason: 'date_out_of_order', rejectedOn: '2005-03-31' },
          },
        ]);
    });
  });

  describe('sums the API can state exactly (2^53 - 1 paise)', () => {
    const MAX = Number.MAX_SAFE_INTEGER;
    const E12 = 1_000_000_000_000;
    const deposit = (amount: number): ShgCommand => ({
      type: 'DepositSavings',
      data: { shgId, depositId: 'd-new', memberId: savita, amount, depositedOn: '2005-05-01' },
    });
    /** Deposits of 1e12 paise, repeated until the SHG holds just `total`. */
    const savedUpTo = (total: number): ShgEvent[] => {
      const events: ShgEvent[] = [formed, enrolled(savita)];
      for (let left = total, i = 0; left > 0; left -= Math.min(left, E12), i++) {
        events.push({
          type: 'SavingsDeposited',
          data: { shgId, memberId: savita, depositId: `d-${i}`, amount: Math.min(left, E12), depositedOn: '2005-05-01' },
        });
      }
      return events;
    };
    const full = savedUpTo(MAX - E12);

    it('takes deposits of 1e12 paise up to the last paisa the API can state, and refuses one more with amount_too_large', () => {
      spec
        .given(full)
        .when(deposit(E12))
        .then([expect.objectContaining({ type: 'SavingsDeposited' }) as ShgEvent]);
      spec
        .given(full)
        .when(deposit(E12 + 1))
        .thenThrows('amount_too_large');
    });

    it('counts pooled savings in what a deposit may add to', () => {
      const pooledAll = [...full, { ...joined, data: { ...joined.data, joinedOn: '2005-05-01' } }, pooled(E12)];
      spec
        .given(pooledAll)
        .when(deposit(E12 + 1))
        .thenThrows('amount_too_large');
    });

    it('keeps room for the most interest a loan can bring (3 x its principal) before lending, and refuses with amount_too_large', () => {
      const lend = (amount: number): ShgCommand => ({
        type: 'LendSavings',
        data: { shgId, loanId: 'loan-1', memberId: savita, amount, lentOn: '2005-09-01' },
      });
      const nearlyFull = savedUpTo(MAX - 3 * E12);
      spec
        .given(nearlyFull)
        .when(lend(E12))
        .then([expect.objectContaining({ type: 'ShgSavingsLent' }) as ShgEvent]);
      spec
        .given(nearlyFull)
        .when(lend(E12 + 1))
        .then([
          {
            type: 'ShgSavingsLendingRejected',
            data: { shgId, loanId: 'loan-1', amount: E12 + 1, reason: 'amount_too_large', rejectedOn: '2005-09-01' },
          },
        ]);
      const lent: ShgEvent = {
        type: 'ShgSavingsLent',
        data: { shgId, loanId: 'loan-1', memberId: savita, amount: E12, lentOn: '2005-09-01' },
      };
      spec
        .given([...nearlyFull, lent])
        .when(deposit(1))
        .thenThrows('amount_too_large');
    });

    it('gives back the room as the interest comes in, and all of it once the loan is repaid', () => {
      const lent: ShgEvent = {
        type: 'ShgSavingsLent',
        data: { shgId, loanId: 'loan-1', memberId: savita, amount: 10_000, lentOn: '2005-09-01' },
      };
      const repaid = (principal: number, interest: number, repaymentId: string): ShgEvent => ({
        type: 'ShgLoanRepaid',
        data: { shgId, loanId: 'loan-1', repaymentId, principal, interest, paidOn: '2005-10-01' },
      });
      const ceiling = (events: ShgEvent[]) => savingsCeiling(fold(shgDecider.evolve, shgDecider.initialState(), events) as FormedShg);
      expect(ceiling([...withTwoSavers, lent])).toBe(15_000n + 30_000n);
      expect(ceiling([...withTwoSavers, lent, repaid(0, 1_200, 'r-1')])).toBe(16_200n + 28_800n);
      expect(ceiling([...withTwoSavers, lent, repaid(0, 1_200, 'r-1'), repaid(10_000, 300, 'r-2')])).toBe(16_500n);
    });
  });

  it('folds savings into member savings, free savings and pooled savings', () => {
    const state = fold(shgDecider.evolve, shgDecider.initialState(), [
      ...withTwoSavers,
      joined,
      pooled(6_000),
      { type: 'SavingsWithdrawn', data: { shgId, memberId: asha, withdrawalId: 'w-0', amount: 2_000, withdrawnOn: '2005-08-01' } },
    ]);
    expect(state).toMatchObject({
      status: 'formed',
      networkId,
      savingsBalance: 7_000n,
      pooledSavings: 6_000n,
      members: [
        { id: savita, savings: 10_000n },
        { id: asha, savings: 3_000n },
      ],
    });
  });
});

describe('access to an SHG', () => {
  const grant = (userId: string) => ({ objectType: 'shg' as const, objectId: shgId, userId });
  const granted = (userId: string): ShgEvent => ({ type: 'AccessGranted', data: grant(userId) });
  const form = { type: 'FormShg' as const, data: { shgId, name: 'Mahila Shakti', village: 'Kudal', formedOn: '2005-04-01' } };

  it('grants the SHG to the field officer who forms it', () => {
    spec
      .given([])
      .when({ ...form, data: { ...form.data, grantTo: 'field1' } })
      .then([formed, granted('field1')]);
  });

  it('grants a user the SHG, and revokes the grant', () => {
    spec
      .given([formed])
      .when({ type: 'GrantAccess', data: { shgId, userId: 'field2' } })
      .then([granted('field2')]);
    spec
      .given([formed, granted('field2')])
      .when({ type: 'RevokeAccess', data: { shgId, userId: 'field2' } })
      .then([{ type: 'AccessRevoked', data: grant('field2') }]);
  });

  it('keeps whom the SHG is granted to, no one once formed', () => {
    const grantees = (events: ShgEvent[]) => (fold(shgDecider.evolve, shgDecider.initialState(), events) as FormedShg).grantees;
    expect(grantees([formed])).toEqual([]);
    expect(grantees([formed, granted('field1'), granted('field2')])).toEqual(['field1', 'field2']);
  });
});

it('keeps its events in streams of type "shg", the type stored with each of them (another name would part old streams from new)', () => {
  expect(SHG_STREAM_TYPE).toBe('shg');
});
