import { Topics } from './topics';
import type { Upcaster } from '@sangam/domain';
import { Schema, type EventContract, type JsonSchema } from './event-contract';

/**
 * Integration events of the lending service, published to `sangam.lending.events`; one stream per
 * loan (stream id = loanId, the Kafka key). A network lends to its member SHGs (from its common
 * fund or a credit line), an SHG to its own members (from its savings or a credit line).
 *
 * Lifecycle: LoanApplied -> LoanApproved | LoanRejected (an approved loan that cannot be funded may
 * still be rejected); LoanApproved -> LoanDisbursed at once from a network's common fund, or
 * LoanDisbursementRequested to the owner of the money (bank-linkage's CreditDrawn or
 * CreditDrawRejected for a credit line, groups' ShgSavingsLent or ShgSavingsLendingRejected for an
 * SHG's savings, each carrying the loanId) -> LoanDisbursed | LoanFundingFailed, with the request's
 * correlationId and causationId = the answer's eventId. Then RepaymentReceived ... LoanClosed.
 *
 * A common fund as lending sees it falls by the principal of LoanDisbursed with funding.source
 * `common-fund` and rises by the amount of RepaymentReceived with fundingSource `common-fund`.
 * An SHG's savings are groups' to count (ShgSavingsLent, ShgLoanRepaid). Amounts are integer paise.
 */

export type LoanStatus = 'applied' | 'approved' | 'rejected' | 'disbursement_pending' | 'active' | 'funding_failed' | 'closed';
export type LoanLenderType = 'network' | 'shg';
export type LoanBorrowerType = 'shg' | 'member';
export type LoanFundingSource = 'common-fund' | 'shg-savings' | 'credit-line';
export type LoanInterestMethod = 'flat' | 'declining';

export interface LoanLender {
  type: LoanLenderType;
  id: string;
}

export interface LoanBorrower {
  type: LoanBorrowerType;
  id: string;
}

export interface LoanFunding {
  source: LoanFundingSource;
  creditLineId: string | null;
}

export interface ScheduledInstallment {
  number: number;
  dueOn: string;
  principal: number;
  interest: number;
}

export interface LoanRepaymentAllocation {
  interest: number;
  principal: number;
}

export interface InstallmentRepayment extends LoanRepaymentAllocation {
  number: number;
}

export interface LoanAppliedData {
  loanId: string;
  lender: LoanLender;
  borrower: LoanBorrower;
  /** The lending network, or for an SHG's loan to a member the SHG's network at the time (null if none). */
  networkId: string | null;
  principal: number;
  annualInterestRateBps: number;
  termMonths: number;
  interestMethod: LoanInterestMethod;
  purpose: string;
  funding: LoanFunding;
  appliedAt: string;
  /** The user who recorded the application (absent on applications recorded before access existed): never its approver. */
  appliedBy?: string;
}

export interface LoanApprovedData {
  loanId: string;
  approvedOn: string;
}

export interface LoanRejectedData {
  loanId: string;
  reason: string;
  rejectedAt: string;
}

export interface LoanDisbursementRequestedData {
  loanId: string;
  /** Who is asked for the money: bank-linkage draws a credit line, groups lends an SHG's savings (schemaVersion 2; see lendingUpcasters). */
  fundingSource: 'credit-line' | 'shg-savings';
  /** Null when the SHG's savings fund the loan. */
  creditLineId: string | null;
  amount: number;
  borrower: LoanBorrower;
  lender: LoanLender;
  purpose: string;
  requestedOn: string;
}

/** A request to bank-linkage: the line to draw is named. */
export type CreditLineDisbursementRequest = LoanDisbursementRequestedData & { creditLineId: string };

export const asksBankLinkage = (request: LoanDisbursementRequestedData): request is CreditLineDisbursementRequest =>
  request.fundingSource === 'credit-line' && request.creditLineId !== null;

export const asksGroups = (request: LoanDisbursementRequestedData): boolean => request.fundingSource === 'shg-savings';

export interface LoanDisbursedData {
  loanId: string;
  lender: LoanLender;
  borrower: LoanBorrower;
  networkId: string | null;
  principal: number;
  disbursedOn: string;
  funding: LoanFunding & { drawdownId: string | null };
  interestMethod: LoanInterestMethod;
  annualInterestRateBps: number;
  termMonths: number;
  schedule: ScheduledInstallment[];
}

export interface LoanFundingFailedData {
  loanId: string;
  /** Null when the SHG's savings were to fund the loan. */
  creditLineId: string | null;
  amount: number;
  reason: string;
  failedOn: string;
}

export interface RepaymentReceivedData {
  loanId: string;
  repaymentId: string;
  lender: LoanLender;
  borrower: LoanBorrower;
  networkId: string | null;
  fundingSource: LoanFundingSource;
  amount: number;
  paidOn: string;
  allocation: LoanRepaymentAllocation;
  installments: InstallmentRepayment[];
  outstandingPrincipal: number;
}

export interface LoanClosedData {
  loanId: string;
  closedOn: string;
}

export type LendingEvent =
  | { type: 'LoanApplied'; data: LoanAppliedData }
  | { type: 'LoanApproved'; data: LoanApprovedData }
  | { type: 'LoanRejected'; data: LoanRejectedData }
  | { type: 'LoanDisbursementRequested'; data: LoanDisbursementRequestedData }
  | { type: 'LoanDisbursed'; data: LoanDisbursedData }
  | { type: 'LoanFundingFailed'; data: LoanFundingFailedData }
  | { type: 'RepaymentReceived'; data: RepaymentReceivedData }
  | { type: 'LoanClosed'; data: LoanClosedData };

export type LendingEventType = LendingEvent['type'];

const lender = Schema.object({ type: Schema.oneOf(['network', 'shg']), id: Schema.uuid() }, 'Who lends');
const borrower = Schema.object({ type: Schema.oneOf(['shg', 'member']), id: Schema.uuid() }, 'Who borrows');
const fundingSource = Schema.oneOf(['common-fund', 'shg-savings', 'credit-line'], 'Where the money comes from');
const networkId = Schema.nullable(Schema.uuid("The lending network, or the lending SHG's network; null if none"));
const interestMethod = Schema.oneOf(['flat', 'declining']);
const rate: JsonSchema = { type: 'integer', minimum: 0, maximum: 6000, description: 'Annual interest rate in basis points' };
const term: JsonSchema = { type: 'integer', minimum: 1, maximum: 60, description: 'Number of monthly installments' };
const allocation = Schema.object({ interest: Schema.paise(), principal: Schema.paise() });
const schedule = Schema.array(
  Schema.object({ number: Schema.integer('1-based'), dueOn: Schema.date(), principal: Schema.paise(), interest: Schema.paise() }),
  'Every installment; principal parts sum to the principal',
);

const contract = (type: LendingEventType, description: string, data: JsonSchema): EventContract => ({
  type,
  topic: Topics.lending,
  description,
  data,
});

export const lendingEventContracts: EventContract[] = [
  contract(
    'LoanApplied',
    'A loan was applied for: a network to a member SHG, or an SHG to one of its members.',
    Schema.object({
      loanId: Schema.uuid(),
      lender,
      borrower,
      networkId,
      principal: Schema.paise(),
      annualInterestRateBps: rate,
      termMonths: term,
      interestMethod,
      purpose: Schema.text(),
      funding: Schema.object({ source: fundingSource, creditLineId: Schema.nullable(Schema.uuid()) }),
      appliedAt: Schema.timestamp(),
      'appliedBy?': Schema.text(
        'The user (token sub) who recorded the application; four eyes: never the one who approves, rejects or disburses it',
      ),
    }),
  ),
  contract('LoanApproved', 'The loan was approved.', Schema.object({ loanId: Schema.uuid(), approvedOn: Schema.date() })),
  contract(
    'LoanRejected',
    'The loan application was rejected.',
    Schema.object({ loanId: Schema.uuid(), reason: Schema.text(), rejectedAt: Schema.timestamp() }),
  ),
  contract(
    'LoanDisbursementRequested',
    'A loan asks the owner of its money for it: bank-linkage draws on the credit line (answered by CreditDrawn or CreditDrawRejected), ' +
      "groups lends from the SHG's free savings (answered by ShgSavingsLent or ShgSavingsLendingRejected); answers carry the loanId.",
    Schema.object({
      loanId: Schema.uuid(),
      fundingSource: Schema.oneOf(
        ['credit-line', 'shg-savings'],
        'Who is asked (since schemaVersion 2: a v1 request, from before SHG savings were lent through groups, asked bank-linkage)',
      ),
      creditLineId: Schema.nullable(Schema.uuid('The line to draw; null for SHG savings')),
      amount: Schema.paise(),
      borrower,
      lender,
      purpose: Schema.text(),
      requestedOn: Schema.date(),
    }),
  ),
  contract(
    'LoanDisbursed',
    'The money reached the borrower; the loan is active with this schedule.',
    Schema.object({
      loanId: Schema.uuid(),
      lender,
      borrower,
      networkId,
      principal: Schema.paise(),
      disbursedOn: Schema.date(),
      funding: Schema.object({
        source: fundingSource,
        creditLineId: Schema.nullable(Schema.uuid()),
        drawdownId: Schema.nullable(Schema.uuid('The credit-line drawdown that funded it')),
      }),
      interestMethod,
      annualInterestRateBps: rate,
      termMonths: term,
      schedule,
    }),
  ),
  contract(
    'LoanFundingFailed',
    "The owner of the money refused it (bank-linkage would not draw on the line, or groups would not lend the SHG's savings); the loan will not be disbursed.",
    Schema.object({
      loanId: Schema.uuid(),
      creditLineId: Schema.nullable(Schema.uuid('Null when SHG savings were to fund it')),
      amount: Schema.paise(),
      reason: Schema.text('The refusal code of the owner of the money, e.g. insufficient_credit or insufficient_savings'),
      failedOn: Schema.date(),
    }),
  ),
  contract(
    'RepaymentReceived',
    'A repayment, allocated interest due first, then principal, oldest installment first.',
    Schema.object({
      loanId: Schema.uuid(),
      repaymentId: Schema.uuid(),
      lender,
      borrower,
      networkId,
      fundingSource,
      amount: Schema.paise(),
      paidOn: Schema.date(),
      allocation,
      installments: Schema.array(
        Schema.object({ number: Schema.integer(), interest: Schema.paise(), principal: Schema.paise() }),
        'The allocation per installment',
      ),
      outstandingPrincipal: Schema.paise('Principal still owed after this repayment'),
    }),
  ),
  contract('LoanClosed', 'Nothing is owed any more.', Schema.object({ loanId: Schema.uuid(), closedOn: Schema.date() })),
];

/**
 * How lending's older integration events read today. LoanDisbursementRequested v2 names who is
 * asked for the money; v1 requests were all made before SHG savings were lent through groups, so
 * they asked bank-linkage.
 */
export const lendingUpcasters: readonly Upcaster[] = [
  { type: 'LoanDisbursementRequested', from: 1, upcast: (data) => ({ ...data, fundingSource: data.fundingSource ?? 'credit-line' }) },
];
