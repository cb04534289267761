import { amountTooLarge, assertNever, DomainError, NotFoundError, requireNotBefore, type Decider } from '@sangam/domain';
import type { CreditBorrower } from '@sangam/contracts';
import { Map as PersistentMap } from 'immutable';
import { allocateInOrder, fitsExactly, toSafePaise } from '@sangam/money';
import { CreditLineErrors } from './credit-line.errors';
import type { CreditLineEvent } from './credit-line.events';

export interface Allocation {
  interest: number;
  principal: number;
}

/** What bank-linkage knows of a borrower from groups' events; null when the borrower is unknown. */
export interface DrawingPower {
  maxSavingsMultiple: number;
  borrowerSavings: bigint | null;
  /** The limits of the bank's other lines to the borrower still open on the sanction date: one cap covers them all. */
  openLimits: bigint;
}

/** Set when a bank webhook reports the fact: only the line's own bank may report on it. */
type ReportedBy = { reportingBankId?: string };

export type CreditLineCommand =
  | {
      type: 'SanctionCreditLine';
      data: {
        creditLineId: string;
        bankId: string;
        borrower: CreditBorrower;
        limit: number;
        annualInterestRateBps: number;
        sanctionedOn: string;
        expiresOn: string;
        drawingPower: DrawingPower;
      };
    }
  | {
      type: 'DrawCredit';
      data: {
        creditLineId: string;
        drawdownId: string;
        amount: number;
        drawnOn: string;
        purpose: string;
        bankReference: string | null;
        loan: { id: string; lender: CreditBorrower } | null;
      } & ReportedBy;
    }
  | { type: 'ChargeInterest'; data: { creditLineId: string; amount: number; chargedOn: string; bankReference: string | null } & ReportedBy }
  | {
      type: 'RepayCredit';
      data: { creditLineId: string; repaymentId: string; amount: number; repaidOn: string; bankReference: string | null } & ReportedBy;
    };

/** A fact recorded under a bank reference, so that the same fact arriving again is recognised. */
export type RecordedByReference =
  | { kind: 'drawdown'; amount: number; drawdownId: string }
  | { kind: 'interest'; amount: number }
  | { kind: 'repayment'; amount: number; repaymentId: string; allocation: Allocation };

/** A drawdown recorded without a bank reference, which the bank's settlement notice will confirm. */
export interface UnsettledDrawdown {
  drawdownId: string;
  amount: number;
  drawnOn: string;
}

export interface SanctionedLine {
  status: 'sanctioned';
  creditLineId: string;
  bankId: string;
  borrower: CreditBorrower;
  limit: number;
  sanctionedOn: string;
  expiresOn: string;
  drawnPrincipal: number;
  /** Sums of every charge and interest payment: bigint, as they grow without bound over a line's life. */
  interestCharged: bigint;
  interestPaid: bigint;
  /**
   * Persistent maps: each event adds to them without copying them (a copy per event made folding a
   * line's stream quadratic in its facts), and a state folded earlier is never changed by a later one.
   */
  byBankReference: PersistentMap<string, RecordedByReference>;
  loansFunded: PersistentMap<string, string>;
  /** Oldest first. */
  unsettledDrawdowns: readonly UnsettledDrawdown[];
  /** The earliest drawdown and interest charge: a repayment pays neither principal nor interest dated before them. */
  firstDrawnOn: string | null;
  firstChargedOn: string | null;
}

export type CreditLineState = { status: 'unknown' } | SanctionedLine;

export const available = (line: SanctionedLine): number => line.limit - line.drawnPrincipal;
export const interestDue = (line: SanctionedLine): number => toSafePaise(line.interestCharged - line.interestPaid);

export function requireLine(state: CreditLineState, creditLineId: string, reportingBankId?: string): SanctionedLine {
  if (state.status !== 'sanctioned' || (reportingBankId !== undefined && reportingBankId !== state.bankId)) {
    throw new NotFoundError('Credit line', creditLineId);
  }
  return state;
}

const recordedAt = (line: SanctionedLine, bankReference: string | null): RecordedByReference | undefined =>
  bankReference === null ? undefined : line.byBankReference.get(bankReference);

/** What the line recorded under a bank reference, when it is a fact of that kind. */
export function recordedUnder<Kind extends RecordedByReference['kind']>(
  state: CreditLineState,
  bankReference: string | null,
  kind: Kind,
): Extract<RecordedByReference, { kind: Kind }> | undefined {
  if (state.status !== 'sanctioned') return undefined;
  const recorded = recordedAt(state, bankReference);
  return recorded?.kind === kind ? (recorded as Extract<RecordedByReference, { kind: Kind }>) : undefined;
}

function requireAmount(amount: number): void {
  if (!Number.isSafeInteger(amount) || amount < 1) throw CreditLineErrors.invalid('amount', 'must be a positive integer number of paise');
}

/** The earlier fact with this reference, when it is the same fact; another fact under the same reference is a conflict. */
function sameFactRecorded(line: SanctionedLine, bankReference: string | null, kind: RecordedByReference['kind'], amount: number): boolean {
  const recorded = recordedAt(line, bankReference);
  if (!recorded) return false;
  if (recorded.kind !== kind || recorded.amount !== amount) throw CreditLineErrors.bankReferenceReused(bankReference!);
  return true;
}

/**
 * The drawdown a bank's settlement notice confirms rather than adds: the oldest one recorded
 * without a reference (drawn for a loan, or through the API without one) of the same amount,
 * drawn on or before the value date. Without this, a loan drawdown would count twice once the
 * bank reports it.
 */
const settledByNotice = (line: SanctionedLine, amount: number, valueDate: string): UnsettledDrawdown | undefined =>
  line.unsettledDrawdowns.find((drawdown) => drawdown.amount === amount && drawdown.drawnOn <= valueDate);

const sameBorrower = (a: CreditBorrower, b: CreditBorrower) => a.type === b.type && a.id === b.id;

function decide(command: CreditLineCommand, state: CreditLineState): CreditLineEvent[] {
  switch (command.type) {
    case 'SanctionCreditLine': {
      if (state.status !== 'unknown')
        throw new DomainError('conflict', `Credit line ${command.data.creditLineId} already exists`, 'conflict');
      const { creditLineId, bankId, borrower, limit, annualInterestRateBps, sanctionedOn, expiresOn, drawingPower } = command.data;
      if (expiresOn <= sanctionedOn) throw CreditLineErrors.invalid('expiresOn', 'must be after sanctionedOn');
      if (drawingPower.borrowerSavings === null) throw new NotFoundError(borrower.type === 'network' ? 'Network' : 'SHG', borrower.id);
      // What the multiple of the savings leaves after the bank's open lines: the figure the limit is held to, and the one reported.
      const drawingPowerLeft = BigInt(drawingPower.maxSavingsMultiple) * drawingPower.borrowerSavings - drawingPower.openLimits;
      if (drawingPower.maxSavingsMultiple > 0 && BigInt(limit) > drawingPowerLeft) {
        throw CreditLineErrors.limitExceedsDrawingPower(limit, drawingPowerLeft);
      }
      return [
        { type: 'CreditLineSanctioned', data: { creditLineId, bankId, borrower, limit, annualInterestRateBps, sanctionedOn, expiresOn } },
      ];
    }
    case 'DrawCredit': {
      const line = requireLine(state, command.data.creditLineId, command.data.reportingBankId);
      requireAmount(command.data.amount);
      if (sameFactRecorded(line, command.data.bankReference, 'drawdown', command.data.amount)) return [];
      if (command.data.loan && line.loansFunded.has(command.data.loan.id)) return [];
      requireNotBefore('drawnOn', command.data.drawnOn, line.sanctionedOn, 'the credit line was sanctioned');
      const settled =
        command.data.reportingBankId !== undefined && command.data.bankReference !== null
          ? settledByNotice(line, command.data.amount, command.data.drawnOn)
          : undefined;
      if (settled) {
        const { creditLineId, bankReference, drawnOn } = command.data;
        return [
          {
            type: 'CreditDrawSettled',
            data: { creditLineId, drawdownId: settled.drawdownId, bankReference: bankReference!, settledOn: drawnOn },
          },
        ];
      }
      if (command.data.loan && !sameBorrower(command.data.loan.lender, line.borrower))
        throw CreditLineErrors.notHeldByLender(command.data.loan.lender);
      if (command.data.drawnOn > line.expiresOn) throw CreditLineErrors.expired(line.expiresOn);
      if (command.data.amount > available(line)) throw CreditLineErrors.insufficientCredit(command.data.amount, available(line));
      const { creditLineId, drawdownId, amount, drawnOn, purpose, bankReference, loan } = command.data;
      return [
        { type: 'CreditDrawn', data: { creditLineId, drawdownId, amount, drawnOn, purpose, loanId: loan?.id ?? null, bankReference } },
      ];
    }
    case 'ChargeInterest': {
      const line = requireLine(state, command.data.creditLineId, command.data.reportingBankId);
      requireAmount(command.data.amount);
      if (sameFactRecorded(line, command.data.bankReference, 'interest', command.data.amount)) return [];
      requireNotBefore('chargedOn', command.data.chargedOn, line.sanctionedOn, 'the credit line was sanctioned');
      // Charged interest adds up over a line's life without bound: the line must still be able to state it.
      if (!fitsExactly(line.interestCharged + BigInt(command.data.amount)))
        throw amountTooLarge(`The interest charged on credit line ${line.creditLineId}`);
      const { creditLineId, amount, chargedOn, bankReference } = command.data;
      return [{ type: 'InterestCharged', data: { creditLineId, amount, chargedOn, bankReference } }];
    }
    case 'RepayCredit': {
      const line = requireLine(state, command.data.creditLineId, command.data.reportingBankId);
      requireAmount(command.data.amount);
      if (sameFactRecorded(line, command.data.bankReference, 'repayment', command.data.amount)) return [];
      const owed = interestDue(line) + line.drawnPrincipal;
      if (command.data.amount > owed) throw CreditLineErrors.overpayment(command.data.amount, owed);
      const { taken } = allocateInOrder(command.data.amount, [interestDue(line), line.drawnPrincipal]);
      const { creditLineId, repaymentId, amount, repaidOn, bankReference } = command.data;
      const allocation = { interest: taken[0], principal: taken[1] };
      // It pays interest and principal owed: not on a date before the first charge or drawdown it pays.
      if (allocation.interest > 0)
        requireNotBefore('repaidOn', repaidOn, line.firstChargedOn!, 'the first interest was charged on the credit line');
      if (allocation.principal > 0) requireNotBefore('repaidOn', repaidOn, line.firstDrawnOn!, 'the credit line was first drawn');
      return [{ type: 'CreditRepaid', data: { creditLineId, repaymentId, amount, repaidOn, allocation, bankReference } }];
    }
    default:
      return assertNever(command);
  }
}

const earliest = (current: string | null, date: string): string => (current === null || date < current ? date : current);

const withReference = (line: SanctionedLine, bankReference: string | null, recorded: RecordedByReference) =>
  bankReference === null ? line.byBankReference : line.byBankReference.set(bankReference, recorded);

function evolve(state: CreditLineState, event: CreditLineEvent): CreditLineState {
  if (event.type === 'CreditLineSanctioned') {
    const { creditLineId, bankId, borrower, limit, sanctionedOn, expiresOn } = event.data;
    return {
      status: 'sanctioned',
      creditLineId,
      bankId,
      borrower,
      limit,
      sanctionedOn,
      expiresOn,
      drawnPrincipal: 0,
      interestCharged: 0n,
      interestPaid: 0n,
      byBankReference: PersistentMap(),
      loansFunded: PersistentMap(),
      unsettledDrawdowns: [],
      firstDrawnOn: null,
      firstChargedOn: null,
    };
  }
  if (state.status !== 'sanctioned') return state;
  switch (event.type) {
    case 'CreditDrawn': {
      const { amount, drawdownId, drawnOn, bankReference, loanId } = event.data;
      return {
        ...state,
        drawnPrincipal: state.drawnPrincipal + amount,
        byBankReference: withReference(state, bankReference, { kind: 'drawdown', amount, drawdownId }),
        loansFunded: loanId === null ? state.loansFunded : state.loansFunded.set(loanId, drawdownId),
        unsettledDrawdowns:
          bankReference === null ? [...state.unsettledDrawdowns, { drawdownId, amount, drawnOn }] : state.unsettledDrawdowns,
        firstDrawnOn: earliest(state.firstDrawnOn, drawnOn),
      };
    }
    case 'CreditDrawSettled': {
      const { drawdownId, bankReference } = event.data;
      const settled = state.unsettledDrawdowns.find((drawdown) => drawdown.drawdownId === drawdownId);
      if (!settled) return state;
      return {
        ...state,
        byBankReference: withReference(state, bankReference, { kind: 'drawdown', amount: settled.amount, drawdownId }),
        unsettledDrawdowns: state.unsettledDrawdowns.filter((drawdown) => drawdown !== settled),
      };
    }
    case 'InterestCharged': {
      const { amount, bankReference, chargedOn } = event.data;
      return {
        ...state,
        firstChargedOn: earliest(state.firstChargedOn, chargedOn),
        interestCharged: state.interestCharged + BigInt(amount),
        byBankReference: withReference(state, bankReference, { kind: 'interest', amount }),
      };
    }
    case 'CreditRepaid': {
      const { amount, repaymentId, allocation, bankReference } = event.data;
      return {
        ...state,
        interestPaid: state.interestPaid + BigInt(allocation.interest),
        drawnPrincipal: state.drawnPrincipal - allocation.principal,
        byBankReference: withReference(state, bankReference, { kind: 'repayment', amount, repaymentId, allocation }),
      };
    }
    default:
      return assertNever(event);
  }
}

export const creditLineDecider: Decider<CreditLineState, CreditLineCommand, CreditLineEvent> = {
  initialState: () => ({ status: 'unknown' }),
  evolve,
  decide,
};
