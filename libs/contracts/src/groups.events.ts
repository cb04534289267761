import { Topics } from './topics';
import { accessEventContracts, type AccessEvent } from './access.events';
import { Schema, type EventContract, type JsonSchema } from './event-contract';

/**
 * Integration events of the groups service, published to `sangam.groups.events`.
 *
 * Two kinds of stream, each keyed on Kafka by its aggregate id:
 * - an SHG stream (stream id = shgId): ShgFormed, MemberEnrolled, SavingsDeposited, SavingsWithdrawn,
 *   SavingsPooled, NetworkMembershipRecorded, NetworkExitRecorded;
 * - a network stream (stream id = networkId): NetworkFormed, ShgJoinedNetwork, ShgExitedNetwork,
 *   AnnualFeeAssessed, AnnualFeePaid, FundContributed.
 * Both carry AccessGranted / AccessRevoked for their object (see access.events.ts).
 *
 * A fact that concerns both an SHG and its network is written to both streams in one transaction,
 * under a different type on each side, so that a consumer never counts it twice:
 * - joining: ShgJoinedNetwork (network) + NetworkMembershipRecorded (SHG);
 * - leaving: ShgExitedNetwork (network) + NetworkExitRecorded (SHG);
 * - pooling savings: FundContributed (network) + SavingsPooled (SHG).
 * Track network membership and the common fund from the network-side events, an SHG's savings from
 * the SHG-side events; each side alone is complete and ordered.
 *
 * An SHG's free savings are deposits - withdrawals - pooled - lent to members (ShgSavingsLent less
 * the principal of ShgLoanRepaid) + interest earned (the interest of ShgLoanRepaid); its pooled
 * savings are the sum of SavingsPooled. Groups owns the SHG's money: it lends it for lending's
 * LoanDisbursementRequested (fundingSource shg-savings) with ShgSavingsLent, or refuses with
 * ShgSavingsLendingRejected (on the SHG's stream; for an unknown SHG on a stream named by the
 * request's eventId). A network's common fund as groups knows it is AnnualFeePaid + FundContributed
 * (loans from the fund are lending's events). All amounts are integer paise, all `...On` fields
 * are business dates `YYYY-MM-DD`.
 */

export type MemberRole = 'leader' | 'treasurer' | 'member';
export const MEMBER_ROLES: readonly MemberRole[] = ['leader', 'treasurer', 'member'];

export interface ShgFormedData {
  shgId: string;
  name: string;
  village: string;
  formedOn: string;
}

export interface MemberEnrolledData {
  shgId: string;
  memberId: string;
  name: string;
  role: MemberRole;
}

export interface SavingsDepositedData {
  shgId: string;
  memberId: string;
  depositId: string;
  amount: number;
  depositedOn: string;
}

export interface SavingsWithdrawnData {
  shgId: string;
  memberId: string;
  withdrawalId: string;
  amount: number;
  withdrawnOn: string;
}

export interface SavingsPooledData {
  shgId: string;
  networkId: string;
  contributionId: string;
  amount: number;
  pooledOn: string;
}

export interface NetworkMembershipRecordedData {
  shgId: string;
  networkId: string;
  joinedOn: string;
}

export interface NetworkExitRecordedData {
  shgId: string;
  networkId: string;
  exitedOn: string;
}

export interface ShgSavingsLentData {
  shgId: string;
  /** Lending's loan, funded from the SHG's free savings. */
  loanId: string;
  memberId: string;
  amount: number;
  lentOn: string;
}

export interface ShgSavingsLendingRejectedData {
  shgId: string;
  loanId: string;
  amount: number;
  /** insufficient_savings, unknown_shg, unknown_member, date_out_of_order or amount_too_large. */
  reason: string;
  rejectedOn: string;
}

export interface ShgLoanRepaidData {
  shgId: string;
  loanId: string;
  /** Lending's repayment id. */
  repaymentId: string;
  principal: number;
  interest: number;
  paidOn: string;
}

export interface NetworkFormedData {
  networkId: string;
  name: string;
  cluster: string;
  formedOn: string;
  annualFee: number;
}

export interface ShgJoinedNetworkData {
  networkId: string;
  shgId: string;
  joinedOn: string;
}

export interface ShgExitedNetworkData {
  networkId: string;
  shgId: string;
  exitedOn: string;
}

export interface AnnualFeeAssessedData {
  networkId: string;
  shgId: string;
  year: number;
  amount: number;
  assessedOn: string;
}

export interface AnnualFeePaidData {
  networkId: string;
  shgId: string;
  paymentId: string;
  year: number;
  amount: number;
  paidOn: string;
}

export interface FundContributedData {
  networkId: string;
  shgId: string;
  contributionId: string;
  amount: number;
  contributedOn: string;
}

export type ShgStreamEvent =
  | { type: 'ShgFormed'; data: ShgFormedData }
  | { type: 'MemberEnrolled'; data: MemberEnrolledData }
  | { type: 'SavingsDeposited'; data: SavingsDepositedData }
  | { type: 'SavingsWithdrawn'; data: SavingsWithdrawnData }
  | { type: 'SavingsPooled'; data: SavingsPooledData }
  | { type: 'NetworkMembershipRecorded'; data: NetworkMembershipRecordedData }
  | { type: 'NetworkExitRecorded'; data: NetworkExitRecordedData }
  | { type: 'ShgSavingsLent'; data: ShgSavingsLentData }
  | { type: 'ShgSavingsLendingRejected'; data: ShgSavingsLendingRejectedData }
  | { type: 'ShgLoanRepaid'; data: ShgLoanRepaidData }
  | AccessEvent;

export type NetworkStreamEvent =
  | { type: 'NetworkFormed'; data: NetworkFormedData }
  | { type: 'ShgJoinedNetwork'; data: ShgJoinedNetworkData }
  | { type: 'ShgExitedNetwork'; data: ShgExitedNetworkData }
  | { type: 'AnnualFeeAssessed'; data: AnnualFeeAssessedData }
  | { type: 'AnnualFeePaid'; data: AnnualFeePaidData }
  | { type: 'FundContributed'; data: FundContributedData }
  | AccessEvent;

export type GroupsEvent = ShgStreamEvent | NetworkStreamEvent;
export type GroupsEventType = GroupsEvent['type'];

const shgId = Schema.uuid('The SHG (its stream id)');
const networkId = Schema.uuid('The network (apex body)');
const amount = (description: string): JsonSchema => ({ ...Schema.paise(description), minimum: 1 });
const feeYear: JsonSchema = { type: 'integer', minimum: 1000, maximum: 9999, description: 'The fee year' };

const contract = (description: string, data: Record<string, JsonSchema>) => ({ description, data: Schema.object(data) });

/** Keyed by type, so that an event type without a documented schema does not compile. */
const contracts: Record<Exclude<GroupsEventType, AccessEvent['type']>, Omit<EventContract, 'type' | 'topic'>> = {
  ShgFormed: contract('A self-help group was formed.', {
    shgId,
    name: Schema.text(),
    village: Schema.text(),
    formedOn: Schema.date(),
  }),
  MemberEnrolled: contract('A woman was enrolled in an SHG (at most 20 members).', {
    shgId,
    memberId: Schema.uuid(),
    name: Schema.text(),
    role: Schema.oneOf(MEMBER_ROLES),
  }),
  SavingsDeposited: contract("A member's savings deposit; raises her savings and the SHG's free savings.", {
    shgId,
    memberId: Schema.uuid(),
    depositId: Schema.uuid('The id answered to POST /shgs/:id/savings/deposits'),
    amount: amount('Deposited paise'),
    depositedOn: Schema.date(),
  }),
  SavingsWithdrawn: contract("A member's withdrawal; lowers her savings and the SHG's free savings.", {
    shgId,
    memberId: Schema.uuid(),
    withdrawalId: Schema.uuid('The id answered to POST /shgs/:id/savings/withdrawals'),
    amount: amount('Withdrawn paise'),
    withdrawnOn: Schema.date(),
  }),
  SavingsPooled: contract(
    "SHG side of FundContributed (same transaction, same contributionId): the SHG's free savings fall and its pooled savings rise by amount.",
    { shgId, networkId, contributionId: Schema.uuid(), amount: amount('Pooled paise'), pooledOn: Schema.date() },
  ),
  NetworkMembershipRecorded: contract('SHG side of ShgJoinedNetwork (same transaction): the SHG now belongs to networkId.', {
    shgId,
    networkId,
    joinedOn: Schema.date(),
  }),
  NetworkExitRecorded: contract('SHG side of ShgExitedNetwork (same transaction): the SHG no longer belongs to networkId.', {
    shgId,
    networkId,
    exitedOn: Schema.date(),
  }),
  ShgSavingsLent: contract(
    "The SHG lent part of its free savings to a member for lending's loan: its free savings fall, lentToMembers rises.",
    {
      shgId,
      loanId: Schema.uuid("Lending's loan"),
      memberId: Schema.uuid(),
      amount: amount('Lent paise (the principal)'),
      lentOn: Schema.date(),
    },
  ),
  ShgSavingsLendingRejected: contract(
    "Groups refused to lend the SHG's savings for lending's loan (the loan's funding fails with the reason).",
    {
      shgId: Schema.uuid('The SHG asked to lend'),
      loanId: Schema.uuid("Lending's loan"),
      amount: amount('Asked paise'),
      reason: Schema.oneOf(
        ['insufficient_savings', 'unknown_shg', 'unknown_member', 'date_out_of_order', 'amount_too_large'],
        "Why: date_out_of_order when the loan is disbursed before the SHG was formed; amount_too_large when the SHG's figures, with the most interest the loan can bring, would pass 2^53 - 1 paise",
      ),
      rejectedOn: Schema.date(),
    },
  ),
  ShgLoanRepaid: contract(
    "A repayment of a loan from the SHG's savings: principal frees the savings again, interest is the SHG's income.",
    {
      shgId,
      loanId: Schema.uuid("Lending's loan"),
      repaymentId: Schema.uuid("Lending's repayment"),
      principal: Schema.paise('Principal repaid'),
      interest: Schema.paise('Interest paid, earned by the SHG'),
      paidOn: Schema.date(),
    },
  ),
  NetworkFormed: contract('A network (apex body) of SHGs was formed with its annual fee per member SHG.', {
    networkId,
    name: Schema.text(),
    cluster: Schema.text(),
    formedOn: Schema.date(),
    annualFee: Schema.paise('Annual fee per member SHG, paise; 0 when the network charges none'),
  }),
  ShgJoinedNetwork: contract('An SHG became a member of the network (an SHG is in at most one network at a time).', {
    networkId,
    shgId,
    joinedOn: Schema.date(),
  }),
  ShgExitedNetwork: contract('An SHG left the network; fees it was assessed stay owed.', {
    networkId,
    shgId,
    exitedOn: Schema.date(),
  }),
  AnnualFeeAssessed: contract('One member SHG owes the annual fee for a year (never assessed twice for the same SHG and year).', {
    networkId,
    shgId,
    year: feeYear,
    amount: Schema.paise("Fee owed, paise: the network's annual fee, 0 when it charges none (the SHG owes nothing for the year)"),
    assessedOn: Schema.date(),
  }),
  AnnualFeePaid: contract("A (possibly partial) payment of an SHG's assessed fee; it goes into the network's common fund.", {
    networkId,
    shgId,
    paymentId: Schema.uuid('The id answered to POST /networks/:id/fees/:year/payments'),
    year: feeYear,
    amount: amount('Paid paise'),
    paidOn: Schema.date(),
  }),
  FundContributed: contract("A member SHG pooled part of its savings into the network's common fund (SHG side: SavingsPooled).", {
    networkId,
    shgId,
    contributionId: Schema.uuid('The id answered to POST /networks/:id/fund/contributions'),
    amount: amount('Contributed paise'),
    contributedOn: Schema.date(),
  }),
};

export const groupsEventContracts: EventContract[] = [
  ...Object.entries(contracts).map(([type, contract]) => ({ type, topic: Topics.groups, ...contract })),
  ...accessEventContracts(Topics.groups, ['network', 'shg']),
];
