import {
  amountTooLarge,
  assertNever,
  decideGrant,
  DomainError,
  evolveGrantees,
  NotFoundError,
  requireNotBefore,
  ruleBroken,
  type Decider,
  type GrantCommand,
} from '@sangam/domain';
import { fitsExactly } from '@sangam/money';
import type { MemberRole, ShgEvent } from './shg.events';

export const MAX_MEMBERS = 20;

/** The most interest lending can schedule on a loan: 6000 bps flat for 60 months is 3 x the principal. */
export const MAX_INTEREST_MULTIPLE = 3n;

export interface Member {
  id: string;
  name: string;
  role: MemberRole;
  /** Her deposits less her withdrawals. */
  savings: bigint;
}

export type ShgState =
  | { status: 'unformed' }
  | {
      status: 'formed';
      id: string;
      name: string;
      village: string;
      formedOn: string;
      members: Member[];
      /** Free savings: deposits - withdrawals - pooled - lentToMembers + interestEarned. */
      savingsBalance: bigint;
      pooledSavings: bigint;
      /** Principal lent to members from the savings and not yet repaid. */
      lentToMembers: bigint;
      /** Interest received on those loans: the SHG's income. */
      interestEarned: bigint;
      /**
       * Loans lent from the savings, by lending's loan id, with the repayments already counted and
       * the most interest the loan can still bring in (3 x its principal less the interest received).
       */
      memberLoans: Record<string, { outstanding: bigint; repaymentIds: string[]; interestToCome: bigint }>;
      /** Loans groups refused to fund: a redelivered request is not answered again. */
      refusedLoanIds: string[];
      networkId: string | null;
      /** When the SHG last left a network: it cannot join one on an earlier date. */
      leftNetworkOn: string | null;
      /** Users granted this SHG (besides those granted its network). */
      grantees: string[];
    };

export type FormedShg = Extract<ShgState, { status: 'formed' }>;

export type ShgCommand =
  /** `grantTo`: the field officer who forms an SHG is granted it. */
  | { type: 'FormShg'; data: { shgId: string; name: string; village: string; formedOn: string; grantTo?: string } }
  | { type: 'EnrolMember'; data: { shgId: string; memberId: string; name: string; role: MemberRole } }
  | { type: 'DepositSavings'; data: { shgId: string; depositId: string; memberId: string; amount: number; depositedOn: string } }
  | { type: 'WithdrawSavings'; data: { shgId: string; withdrawalId: string; memberId: string; amount: number; withdrawnOn: string } }
  | { type: 'RecordNetworkMembership'; data: { shgId: string; networkId: string; joinedOn: string } }
  | { type: 'RecordNetworkExit'; data: { shgId: string; networkId: string; exitedOn: string } }
  | { type: 'PoolSavings'; data: { shgId: string; networkId: string; contributionId: string; amount: number; pooledOn: string } }
  /** Lending's LoanDisbursementRequested for a loan from the SHG's savings. */
  | { type: 'LendSavings'; data: { shgId: string; loanId: string; memberId: string; amount: number; lentOn: string } }
  /** Lending's RepaymentReceived on such a loan. */
  | {
      type: 'RecordLoanRepayment';
      data: { shgId: string; loanId: string; repaymentId: string; principal: number; interest: number; paidOn: string };
    }
  | GrantCommand<{ shgId: string }>;

export const initialShgState = (): ShgState => ({ status: 'unformed' });

export function requireShg(state: ShgState, shgId: string): FormedShg {
  if (state.status !== 'formed') throw new NotFoundError('SHG', shgId);
  return state;
}

function requireMember(shg: FormedShg, memberId: string): Member {
  const member = shg.members.find((m) => m.id === memberId);
  if (!member) throw ruleBroken('unknown_member', `Member ${memberId} is not enrolled in SHG ${shg.id}`);
  return member;
}

function requireNetwork(shg: FormedShg, networkId: string): void {
  if (shg.networkId !== networkId) throw ruleBroken('not_a_member', `SHG ${shg.id} is not a member of network ${networkId}`);
}

const requireFormedBy = (shg: FormedShg, field: string, date: string): void =>
  requireNotBefore(field, date, shg.formedOn, `SHG ${shg.id} was formed`);

/**
 * The most any of the SHG's figures can reach: each (a member's savings, free funds, pooled, lent,
 * interest earned) is at most deposits - withdrawals + interest earned = free + pooled + lent,
 * which only deposits and interest raise; the interest its loans may still bring in is counted
 * now, because a repayment, once lending has received it, cannot be refused.
 */
export const savingsCeiling = (shg: FormedShg): bigint =>
  Object.values(shg.memberLoans).reduce(
    (sum, loan) => sum + loan.interestToCome,
    shg.savingsBalance + shg.pooledSavings + shg.lentToMembers,
  );

/** Only free funds are lent; each loan is answered once, whatever redelivers its request. */
function lendSavings(
  shg: FormedShg,
  { shgId, loanId, memberId, amount, lentOn }: Extract<ShgCommand, { type: 'LendSavings' }>['data'],
): ShgEvent[] {
  if (loanId in shg.memberLoans || shg.refusedLoanIds.includes(loanId)) return [];
  const refuse = (reason: 'insufficient_savings' | 'unknown_member' | 'date_out_of_order' | 'amount_too_large'): ShgEvent[] => [
    { type: 'ShgSavingsLendingRejected', data: { shgId, loanId, amount, reason, rejectedOn: lentOn } },
  ];
  if (!shg.members.some((m) => m.id === memberId)) return refuse('unknown_member');
  if (lentOn < shg.formedOn) return refuse('date_out_of_order');
  if (BigInt(amount) > shg.savingsBalance) return refuse('insufficient_savings');
  if (!fitsExactly(savingsCeiling(shg) + MAX_INTEREST_MULTIPLE * BigInt(amount))) return refuse('amount_too_large');
  return [{ type: 'ShgSavingsLent', data: { shgId, loanId, memberId, amount, lentOn } }];
}

export function decideShg(command: ShgCommand, state: ShgState): ShgEvent[] {
  if (command.type === 'FormShg') {
    if (state.status === 'formed') throw new DomainError('conflict', `SHG ${command.data.shgId} already exists`, 'conflict');
    const { shgId, name, village, formedOn, grantTo } = command.data;
    const formed: ShgEvent = { type: 'ShgFormed', data: { shgId, name, village, formedOn } };
    if (!grantTo) return [formed];
    // The grant is decided on the SHG as it is once formed: granted to no one yet.
    const { grantees } = requireShg(evolveShg(state, formed), shgId);
    return [formed, ...decideGrant({ type: 'shg', id: shgId }, grantees, { type: 'GrantAccess', data: { userId: grantTo } })];
  }
  const shg = requireShg(state, command.data.shgId);
  switch (command.type) {
    case 'EnrolMember': {
      if (shg.members.length >= MAX_MEMBERS) throw ruleBroken('shg_full', `An SHG has at most ${MAX_MEMBERS} members`);
      const { shgId, memberId, name, role } = command.data;
      return [{ type: 'MemberEnrolled', data: { shgId, memberId, name, role } }];
    }
    case 'DepositSavings': {
      requireMember(shg, command.data.memberId);
      requireFormedBy(shg, 'depositedOn', command.data.depositedOn);
      if (!fitsExactly(savingsCeiling(shg) + BigInt(command.data.amount)))
        throw amountTooLarge(`The savings of SHG ${shg.id} with this deposit`);
      const { shgId, memberId, depositId, amount, depositedOn } = command.data;
      return [{ type: 'SavingsDeposited', data: { shgId, memberId, depositId, amount, depositedOn } }];
    }
    case 'WithdrawSavings': {
      const member = requireMember(shg, command.data.memberId);
      requireFormedBy(shg, 'withdrawnOn', command.data.withdrawnOn);
      const amount = BigInt(command.data.amount);
      if (amount > member.savings) {
        throw ruleBroken('insufficient_savings', `The member has saved ${member.savings} paise, less than ${command.data.amount}`);
      }
      // Her savings may be partly in the network's common fund: only free savings can be paid out.
      if (amount > shg.savingsBalance) {
        throw ruleBroken(
          'insufficient_savings',
          `The SHG has ${shg.savingsBalance} paise of free savings, less than ${command.data.amount}`,
        );
      }
      const { shgId, memberId, withdrawalId, withdrawnOn } = command.data;
      return [{ type: 'SavingsWithdrawn', data: { shgId, memberId, withdrawalId, amount: command.data.amount, withdrawnOn } }];
    }
    case 'RecordNetworkMembership': {
      if (shg.networkId !== null) {
        throw ruleBroken('already_in_network', `SHG ${shg.id} already belongs to network ${shg.networkId}`);
      }
      requireFormedBy(shg, 'joinedOn', command.data.joinedOn);
      if (shg.leftNetworkOn !== null)
        requireNotBefore('joinedOn', command.data.joinedOn, shg.leftNetworkOn, `SHG ${shg.id} left its last network`);
      const { shgId, networkId, joinedOn } = command.data;
      return [{ type: 'NetworkMembershipRecorded', data: { shgId, networkId, joinedOn } }];
    }
    case 'RecordNetworkExit': {
      requireNetwork(shg, command.data.networkId);
      const { shgId, networkId, exitedOn } = command.data;
      return [{ type: 'NetworkExitRecorded', data: { shgId, networkId, exitedOn } }];
    }
    case 'PoolSavings': {
      requireNetwork(shg, command.data.networkId);
      if (BigInt(command.data.amount) > shg.savingsBalance) {
        throw ruleBroken(
          'insufficient_savings',
          `The SHG has ${shg.savingsBalance} paise of free savings, less than ${command.data.amount}`,
        );
      }
      const { shgId, networkId, contributionId, amount, pooledOn } = command.data;
      return [{ type: 'SavingsPooled', data: { shgId, networkId, contributionId, amount, pooledOn } }];
    }
    case 'LendSavings':
      return lendSavings(shg, command.data);
    case 'RecordLoanRepayment': {
      const loan = shg.memberLoans[command.data.loanId];
      // A loan groups never lent (or a repayment already counted) moves none of the SHG's money.
      if (!loan || loan.repaymentIds.includes(command.data.repaymentId)) return [];
      const { shgId, loanId, repaymentId, principal, interest, paidOn } = command.data;
      return [{ type: 'ShgLoanRepaid', data: { shgId, loanId, repaymentId, principal, interest, paidOn } }];
    }
    case 'GrantAccess':
    case 'RevokeAccess':
      return decideGrant({ type: 'shg', id: shg.id }, shg.grantees, command);
    default:
      return assertNever(command);
  }
}

const withMemberSavings = (shg: FormedShg, memberId: string, delta: bigint): FormedShg => ({
  ...shg,
  members: shg.members.map((m) => (m.id === memberId ? { ...m, savings: m.savings + delta } : m)),
  savingsBalance: shg.savingsBalance + delta,
});

export function evolveShg(state: ShgState, event: ShgEvent): ShgState {
  if (event.type === 'ShgFormed') {
    const { shgId, name, village, formedOn } = event.data;
    return {
      status: 'formed',
      id: shgId,
      name,
      village,
      formedOn,
      members: [],
      savingsBalance: 0n,
      pooledSavings: 0n,
      lentToMembers: 0n,
      interestEarned: 0n,
      memberLoans: {},
      refusedLoanIds: [],
      networkId: null,
      leftNetworkOn: null,
      grantees: [],
    };
  }
  if (state.status !== 'formed') return state;
  switch (event.type) {
    case 'MemberEnrolled': {
      const { memberId, name, role } = event.data;
      return { ...state, members: [...state.members, { id: memberId, name, role, savings: 0n }] };
    }
    case 'SavingsDeposited':
      return withMemberSavings(state, event.data.memberId, BigInt(event.data.amount));
    case 'SavingsWithdrawn':
      return withMemberSavings(state, event.data.memberId, -BigInt(event.data.amount));
    case 'SavingsPooled': {
      const amount = BigInt(event.data.amount);
      return { ...state, savingsBalance: state.savingsBalance - amount, pooledSavings: state.pooledSavings + amount };
    }
    case 'NetworkMembershipRecorded':
      return { ...state, networkId: event.data.networkId };
    case 'NetworkExitRecorded':
      return { ...state, networkId: null, leftNetworkOn: event.data.exitedOn };
    case 'ShgSavingsLent': {
      const amount = BigInt(event.data.amount);
      return {
        ...state,
        savingsBalance: state.savingsBalance - amount,
        lentToMembers: state.lentToMembers + amount,
        memberLoans: {
          ...state.memberLoans,
          [event.data.loanId]: { outstanding: amount, repaymentIds: [], interestToCome: MAX_INTEREST_MULTIPLE * amount },
        },
      };
    }
    case 'ShgSavingsLendingRejected':
      return { ...state, refusedLoanIds: [...state.refusedLoanIds, event.data.loanId] };
    case 'ShgLoanRepaid': {
      const { loanId, repaymentId } = event.data;
      const principal = BigInt(event.data.principal);
      const interest = BigInt(event.data.interest);
      const loan = state.memberLoans[loanId] ?? { outstanding: 0n, repaymentIds: [], interestToCome: 0n };
      const interestToCome = loan.outstanding - principal > 0n && loan.interestToCome > interest ? loan.interestToCome - interest : 0n;
      return {
        ...state,
        savingsBalance: state.savingsBalance + principal + interest,
        lentToMembers: state.lentToMembers - principal,
        interestEarned: state.interestEarned + interest,
        memberLoans: {
          ...state.memberLoans,
          [loanId]: { outstanding: loan.outstanding - principal, repaymentIds: [...loan.repaymentIds, repaymentId], interestToCome },
        },
      };
    }
    case 'AccessGranted':
    case 'AccessRevoked':
      return { ...state, grantees: evolveGrantees(state.grantees, event) };
    default:
      return assertNever(event);
  }
}

export const shgDecider: Decider<ShgState, ShgCommand, ShgEvent> = {
  initialState: initialShgState,
  evolve: evolveShg,
  decide: decideShg,
};
