import { assertNever, type Decider } from '@sangam/domain';
import { amountOwed, allocateRepayment, applyAllocation, type InstallmentBalance } from './repayment-allocation';
import type { DatedRepayment } from './days-past-due';
import { LoanErrors } from './loan.errors';
import type { LoanAppliedData, LoanEvent, LoanStatus } from './loan.events';
import { buildSchedule } from './schedule';

export type LoanCommand =
  /** `borrowerBelongsToLender` and `networkId`: lending's view of groups' membership, read when the application is recorded. */
  | { type: 'ApplyForLoan'; data: LoanAppliedData & { borrowerBelongsToLender: boolean } }
  /** `by`: the deciding user, who must not be the one who recorded the application (four eyes). */
  | { type: 'ApproveLoan'; data: { loanId: string; approvedOn: string; by: string } }
  | { type: 'RejectLoan'; data: { loanId: string; reason: string; rejectedAt: string; by: string } }
  /** `availableFunds`: what the network's common fund can lend as lending knows it; given for common-fund loans. */
  | { type: 'DisburseLoan'; data: { loanId: string; disbursedOn: string; by: string; availableFunds?: bigint } }
  /** The owner of the money answered a LoanDisbursementRequested: bank-linkage for a credit line, groups for an SHG's savings. */
  | { type: 'RecordFunded'; data: { loanId: string; source: OwnedFunding; creditLineId: string | null; drawdownId: string | null } }
  | {
      type: 'RecordFundingRefused';
      data: { loanId: string; source: OwnedFunding; creditLineId: string | null; reason: string; refusedOn: string };
    }
  | { type: 'RecordRepayment'; data: { loanId: string; repaymentId: string; amount: number; paidOn: string } };

/** One kind of loan command, by its type. */
export type LoanCommandOf<Type extends LoanCommand['type']> = Extract<LoanCommand, { type: Type }>;

export interface Loan {
  status: LoanStatus;
  terms: LoanAppliedData;
  approvedOn: string | null;
  disbursementRequestedOn: string | null;
  disbursedOn: string | null;
  installments: InstallmentBalance[];
  repayments: DatedRepayment[];
  rejectionReason: string | null;
  fundingFailureReason: string | null;
}

export type LoanState = { status: 'none' } | Loan;

/** Money another service owns and decides on: lending asks for it and waits for the answer. */
export type OwnedFunding = 'credit-line' | 'shg-savings';

/** Only a network's common fund is lent on lending's own view of it; credit lines and SHG savings are asked of their owners. */
export const isFundedFromCommonFund = (loan: Loan): boolean => loan.terms.funding.source === 'common-fund';

const LENDER_SOURCES = { network: ['common-fund', 'credit-line'], shg: ['shg-savings', 'credit-line'] } as const;

function apply(
  { borrowerBelongsToLender, ...application }: LoanAppliedData & { borrowerBelongsToLender: boolean },
  state: LoanState,
): LoanEvent[] {
  if (state.status !== 'none') throw LoanErrors.stateForbids(application.loanId, state.status, 'applied for again');
  const { lender, borrower, funding } = application;
  if (!(LENDER_SOURCES[lender.type] as readonly string[]).includes(funding.source)) {
    throw LoanErrors.invalidFunding('funding.source', `a ${lender.type} lends from ${LENDER_SOURCES[lender.type].join(' or ')}`);
  }
  if ((funding.source === 'credit-line') !== (funding.creditLineId !== null)) {
    throw LoanErrors.invalidFunding('funding.creditLineId', 'creditLineId is required for credit-line funding and only for it');
  }
  if (lender.type === 'network' && (borrower.type !== 'shg' || !borrowerBelongsToLender)) throw LoanErrors.borrowerNotInNetwork();
  if (lender.type === 'shg' && (borrower.type !== 'member' || !borrowerBelongsToLender)) throw LoanErrors.borrowerNotInShg();
  return [{ type: 'LoanApplied', data: application }];
}

function existing(state: LoanState, loanId: string): Loan {
  if (state.status === 'none') throw LoanErrors.notFound(loanId);
  return state;
}

/** Four eyes: whoever recorded an application never approves, rejects or disburses it. */
function expectSecondPair(loan: Loan, by: string): void {
  if (loan.terms.appliedBy === by) throw LoanErrors.sameUserAsApplicant();
}

function expectStatus(loan: Loan, status: LoanStatus, action: string): void {
  if (loan.status !== status) throw LoanErrors.stateForbids(loan.terms.loanId, loan.status, action);
}

function disbursed(loan: Loan, disbursedOn: string, drawdownId: string | null): LoanEvent {
  const { loanId, lender, borrower, networkId, principal, funding, interestMethod, annualInterestRateBps, termMonths } = loan.terms;
  return {
    type: 'LoanDisbursed',
    data: {
      loanId,
      lender,
      borrower,
      networkId,
      principal,
      disbursedOn,
      funding: { ...funding, drawdownId },
      interestMethod,
      annualInterestRateBps,
      termMonths,
      schedule: buildSchedule({ principal, annualInterestRateBps, termMonths, interestMethod, disbursedOn }),
    },
  };
}

function disburse(
  { loanId, disbursedOn, by, availableFunds }: { loanId: string; disbursedOn: string; by: string; availableFunds?: bigint },
  state: LoanState,
): LoanEvent[] {
  const loan = existing(state, loanId);
  expectSecondPair(loan, by);
  expectStatus(loan, 'approved', 'disbursed');
  if (disbursedOn < loan.approvedOn!) throw LoanErrors.disbursementBeforeApproval(disbursedOn, loan.approvedOn!);
  const { principal, funding, borrower, lender, purpose } = loan.terms;
  if (funding.source !== 'common-fund') {
    return [
      {
        type: 'LoanDisbursementRequested',
        data: {
          loanId,
          fundingSource: funding.source,
          creditLineId: funding.creditLineId,
          amount: principal,
          borrower,
          lender,
          purpose,
          requestedOn: disbursedOn,
        },
      },
    ];
  }
  const available = availableFunds ?? 0n;
  if (available < BigInt(principal)) throw LoanErrors.insufficientFunds(available, principal);
  return [disbursed(loan, disbursedOn, null)];
}

/** An answer counts only for a pending loan funded from that source (and line): a redelivered or late answer changes nothing. */
const awaitsFundingFrom = (state: LoanState, source: OwnedFunding, creditLineId: string | null): state is Loan =>
  state.status === 'disbursement_pending' && state.terms.funding.source === source && state.terms.funding.creditLineId === creditLineId;

function repay(
  { loanId, repaymentId, amount, paidOn }: { loanId: string; repaymentId: string; amount: number; paidOn: string },
  state: LoanState,
): LoanEvent[] {
  const loan = existing(state, loanId);
  if (loan.status !== 'active') throw LoanErrors.notActive(loan.status);
  if (paidOn < loan.disbursedOn!) throw LoanErrors.repaymentBeforeDisbursement(paidOn, loan.disbursedOn!);
  const owed = amountOwed(loan.installments);
  if (amount > owed) throw LoanErrors.overpayment(owed);
  const { installments, ...allocation } = allocateRepayment(loan.installments, amount, paidOn);
  const { lender, borrower, networkId, funding, principal } = loan.terms;
  const principalPaid = loan.installments.reduce((sum, i) => sum + i.paidPrincipal, 0) + allocation.principal;
  const events: LoanEvent[] = [
    {
      type: 'RepaymentReceived',
      data: {
        loanId,
        repaymentId,
        lender,
        borrower,
        networkId,
        fundingSource: funding.source,
        amount,
        paidOn,
        allocation,
        installments,
        outstandingPrincipal: principal - principalPaid,
      },
    },
  ];
  if (amount === owed) events.push({ type: 'LoanClosed', data: { loanId, closedOn: paidOn } });
  return events;
}

function decide(command: LoanCommand, state: LoanState): LoanEvent[] {
  switch (command.type) {
    case 'ApplyForLoan':
      return apply(command.data, state);
    case 'ApproveLoan': {
      const { loanId, approvedOn, by } = command.data;
      const loan = existing(state, loanId);
      expectSecondPair(loan, by);
      expectStatus(loan, 'applied', 'approved');
      return [{ type: 'LoanApproved', data: { loanId, approvedOn } }];
    }
    case 'RejectLoan': {
      const { loanId, reason, rejectedAt, by } = command.data;
      const loan = existing(state, loanId);
      expectSecondPair(loan, by);
      // An approved loan that cannot be funded is rejected too.
      if (loan.status !== 'approved') expectStatus(loan, 'applied', 'rejected');
      return [{ type: 'LoanRejected', data: { loanId, reason, rejectedAt } }];
    }
    case 'DisburseLoan':
      return disburse(command.data, state);
    case 'RecordFunded': {
      const { source, creditLineId, drawdownId } = command.data;
      return awaitsFundingFrom(state, source, creditLineId) ? [disbursed(state, state.disbursementRequestedOn!, drawdownId)] : [];
    }
    case 'RecordFundingRefused': {
      const { loanId, source, creditLineId, reason, refusedOn } = command.data;
      if (!awaitsFundingFrom(state, source, creditLineId)) return [];
      return [{ type: 'LoanFundingFailed', data: { loanId, creditLineId, amount: state.terms.principal, reason, failedOn: refusedOn } }];
    }
    case 'RecordRepayment':
      return repay(command.data, state);
    default:
      return assertNever(command);
  }
}

function evolve(state: LoanState, event: LoanEvent): LoanState {
  if (event.type === 'LoanApplied') {
    return {
      status: 'applied',
      terms: event.data,
      approvedOn: null,
      disbursementRequestedOn: null,
      disbursedOn: null,
      installments: [],
      repayments: [],
      rejectionReason: null,
      fundingFailureReason: null,
    };
  }
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'LoanApproved':
      return { ...state, status: 'approved', approvedOn: event.data.approvedOn };
    case 'LoanRejected':
      return { ...state, status: 'rejected', rejectionReason: event.data.reason };
    case 'LoanDisbursementRequested':
      return { ...state, status: 'disbursement_pending', disbursementRequestedOn: event.data.requestedOn };
    case 'LoanDisbursed':
      return {
        ...state,
        status: 'active',
        disbursedOn: event.data.disbursedOn,
        installments: event.data.schedule.map((i) => ({ ...i, paidPrincipal: 0, paidInterest: 0 })),
      };
    case 'LoanFundingFailed':
      return { ...state, status: 'funding_failed', fundingFailureReason: event.data.reason };
    case 'RepaymentReceived':
      return {
        ...state,
        installments: applyAllocation(state.installments, event.data.installments),
        repayments: [...state.repayments, { paidOn: event.data.paidOn, installments: event.data.installments }],
      };
    case 'LoanClosed':
      return { ...state, status: 'closed' };
    default:
      return assertNever(event);
  }
}

export const loanDecider: Decider<LoanState, LoanCommand, LoanEvent> = {
  initialState: () => ({ status: 'none' }),
  evolve,
  decide,
};
