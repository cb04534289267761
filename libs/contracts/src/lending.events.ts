import { Schema, type EventContract, type JsonSchema } from './event-contract';

/** Integration events of the lending service, published on `sangam.lending.events`, keyed by loan id. */
export const LENDING_TOPIC = 'sangam.lending.events';

export type LoanStatus = 'applied' | 'approved' | 'rejected' | 'disbursement_pending' | 'active' | 'funding_failed' | 'closed';
export type LenderType = 'network' | 'shg';
export type BorrowerType = 'shg' | 'member';
export type FundingSource = 'common-fund' | 'shg-savings' | 'credit-line';
export type InterestMethod = 'flat' | 'declining';

export interface Lender {
  type: LenderType;
  id: string;
}

export interface Borrower {
  type: BorrowerType;
  id: string;
}

export interface Funding {
  source: FundingSource;
  creditLineId: string | null;
}

export interface ScheduledInstallment {
  number: number;
  dueOn: string;
  principal: number;
  interest: number;
}

export interface Allocation {
  interest: number;
  principal: number;
}

export interface InstallmentAllocation extends Allocation {
  number: number;
}

export interface LoanAppliedData {
  loanId: string;
  lender: Lender;
  borrower: Borrower;
  /** The lending network, or for an SHG's loan to a member the SHG's network at the time (null if none). */
  networkId: string | null;
  principal: number;
  annualInterestRateBps: number;
  termMonths: number;
  interestMethod: InterestMethod;
  purpose: string;
  funding: Funding;
  appliedAt: string;
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
  creditLineId: string;
  amount: number;
  borrower: Borrower;
  lender: Lender;
  purpose: string;
  requestedOn: string;
}

export interface LoanDisbursedData {
  loanId: string;
  lender: Lender;
  borrower: Borrower;
  networkId: string | null;
  principal: number;
  disbursedOn: string;
  funding: Funding & { drawdownId: string | null };
  interestMethod: InterestMethod;
  annualInterestRateBps: number;
  termMonths: number;
  schedule: ScheduledInstallment[];
}

export interface LoanFundingFailedData {
  loanId: string;
  creditLineId: string;
  amount: number;
  reason: string;
  failedOn: string;
}

export interface RepaymentReceivedData {
  loanId: string;
  repaymentId: string;
  lender: Lender;
  borrower: Borrower;
  networkId: string | null;
  fundingSource: FundingSource;
  amount: number;
  paidOn: string;
  allocation: Allocation;
  installments: InstallmentAllocation[];
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
const networkId = Schema.nullable(Schema.uuid('The lending network, or the lending SHG\'s network; null if none'));
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
  topic: LENDING_TOPIC,
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
    'A credit-line-funded loan asks bank-linkage to draw on the line; answered by CreditDrawn or CreditDrawRejected carrying the loanId.',
    Schema.object({
      loanId: Schema.uuid(),
      creditLineId: Schema.uuid(),
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
    'Bank-linkage refused to draw on the credit line; the loan will not be disbursed.',
    Schema.object({
      loanId: Schema.uuid(),
      creditLineId: Schema.uuid(),
      amount: Schema.paise(),
      reason: Schema.text('The bank-linkage rejection code, e.g. insufficient_credit'),
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
