import { accessEventContracts, type AccessEvent } from './access.events';
import { Topics } from './topics';
import { Schema, type EventContract, type JsonSchema } from './event-contract';

/**
 * Integration events of the bank-linkage service, published to `sangam.bank-linkage.events`.
 *
 * Streams, each keyed on Kafka by its id:
 * - a bank stream (stream id = bankId): BankRegistered, WebhookSecretRotated. Secrets never
 *   appear in events;
 * - a credit-line stream (stream id = creditLineId): CreditLineSanctioned, CreditDrawn,
 *   CreditDrawSettled, InterestCharged, CreditRepaid;
 * - a draw-request stream (stream id = the eventId of lending's LoanDisbursementRequested):
 *   CreditDrawRejected. A refusal changes no credit line, and the credit line may not even exist,
 *   so each refused request gets a stream of its own;
 * - a webhook-delivery stream (stream id = the id bank-linkage gave the stored delivery):
 *   BankWebhookAccepted.
 *
 * A line's drawn principal is the sum of CreditDrawn less the principal part of CreditRepaid;
 * available = limit - drawn principal. Interest charged and paid are InterestCharged and the
 * interest part of CreditRepaid. Amounts are integer paise; `...On` fields are business dates
 * `YYYY-MM-DD`; `...At` fields are ISO-8601 UTC timestamps.
 *
 * Saga with lending: every LoanDisbursementRequested naming a creditLineId is answered exactly
 * once with CreditDrawn (loanId set) or CreditDrawRejected, with the request's correlationId and
 * with causationId = the request's eventId.
 */

export type CreditBorrowerType = 'network' | 'shg';
export const CREDIT_BORROWER_TYPES: readonly CreditBorrowerType[] = ['network', 'shg'];

export interface CreditBorrower {
  type: CreditBorrowerType;
  id: string;
}

export interface BankRegisteredData {
  bankId: string;
  name: string;
  branch: string;
  maxSavingsMultiple: number;
  registeredAt: string;
}

export interface WebhookSecretRotatedData {
  bankId: string;
  rotatedAt: string;
  previousValidUntil: string;
}

export interface CreditLineSanctionedData {
  creditLineId: string;
  bankId: string;
  borrower: CreditBorrower;
  limit: number;
  annualInterestRateBps: number;
  sanctionedOn: string;
  expiresOn: string;
}

export interface CreditDrawnData {
  creditLineId: string;
  drawdownId: string;
  amount: number;
  drawnOn: string;
  purpose: string;
  loanId: string | null;
  bankReference: string | null;
}

export interface CreditDrawSettledData {
  creditLineId: string;
  drawdownId: string;
  bankReference: string;
  settledOn: string;
}

export const CREDIT_DRAW_REJECTION_REASONS = [
  'unknown_credit_line',
  'insufficient_credit',
  'credit_line_expired',
  'credit_line_not_held_by_lender',
  'validation_failed',
  /** The loan's disbursement date is before the line was sanctioned. */
  'date_out_of_order',
] as const;
export type CreditDrawRejectionReason = (typeof CREDIT_DRAW_REJECTION_REASONS)[number];

export interface CreditDrawRejectedData {
  creditLineId: string;
  loanId: string;
  amount: number;
  reason: CreditDrawRejectionReason;
  rejectedOn: string;
}

export interface CreditRepaidData {
  creditLineId: string;
  repaymentId: string;
  amount: number;
  repaidOn: string;
  allocation: { interest: number; principal: number };
  bankReference: string | null;
}

export interface InterestChargedData {
  creditLineId: string;
  amount: number;
  chargedOn: string;
  bankReference: string | null;
}

export const BANK_WEBHOOK_TYPES = [
  'credit_line.drawdown.settled',
  'credit_line.repayment.received',
  'credit_line.interest.charged',
] as const;
export type BankWebhookType = (typeof BANK_WEBHOOK_TYPES)[number];

export interface BankWebhookAcceptedData {
  bankId: string;
  /** The bank's `webhook-id`. */
  deliveryId: string;
  type: BankWebhookType;
  receivedAt: string;
}

export type BankStreamEvent =
  { type: 'BankRegistered'; data: BankRegisteredData } | { type: 'WebhookSecretRotated'; data: WebhookSecretRotatedData } | AccessEvent;

export type CreditLineStreamEvent =
  | { type: 'CreditLineSanctioned'; data: CreditLineSanctionedData }
  | { type: 'CreditDrawn'; data: CreditDrawnData }
  | { type: 'CreditDrawSettled'; data: CreditDrawSettledData }
  | { type: 'InterestCharged'; data: InterestChargedData }
  | { type: 'CreditRepaid'; data: CreditRepaidData };

export type BankLinkageEvent =
  | BankStreamEvent
  | CreditLineStreamEvent
  | { type: 'CreditDrawRejected'; data: CreditDrawRejectedData }
  | { type: 'BankWebhookAccepted'; data: BankWebhookAcceptedData };

export type BankLinkageEventType = BankLinkageEvent['type'];

const bankId = Schema.uuid('The bank (its stream id)');
const creditLineId = Schema.uuid('The credit line (its stream id)');
const amount = (description: string): JsonSchema => ({ ...Schema.paise(description), minimum: 1 });
const bankReference = Schema.nullable(Schema.text("The bank's reference (e.g. a UTR), unique per credit line"));
const borrower = Schema.object({ type: Schema.oneOf(CREDIT_BORROWER_TYPES), id: Schema.uuid() }, 'The network or SHG that holds the line');

const contract = (type: BankLinkageEventType, description: string, data: Record<string, JsonSchema>): EventContract => ({
  type,
  topic: Topics.bankLinkage,
  description,
  data: Schema.object(data),
});

export const bankLinkageEventContracts: EventContract[] = [
  ...accessEventContracts(Topics.bankLinkage, ['bank']),
  contract('BankRegistered', 'A bank was registered with a webhook secret (the secret itself is never published).', {
    bankId,
    name: Schema.text(),
    branch: Schema.text(),
    maxSavingsMultiple: {
      type: 'integer',
      minimum: 0,
      maximum: 10,
      description: 'Cap on a line limit as a multiple of the borrower savings; 0 = no cap',
    },
    registeredAt: Schema.timestamp(),
  }),
  contract('WebhookSecretRotated', "The bank's webhook secret was replaced; the previous one keeps verifying until previousValidUntil.", {
    bankId,
    rotatedAt: Schema.timestamp(),
    previousValidUntil: Schema.timestamp(),
  }),
  contract('CreditLineSanctioned', 'A bank sanctioned a cash-credit line to a network or an SHG.', {
    creditLineId,
    bankId,
    borrower,
    limit: amount('Sanctioned limit, paise'),
    annualInterestRateBps: { type: 'integer', minimum: 0, maximum: 6000, description: 'Annual interest rate in basis points' },
    sanctionedOn: Schema.date(),
    expiresOn: Schema.date('Last day on which the line can be drawn'),
  }),
  contract(
    'CreditDrawn',
    'Principal was drawn on a line: through the API, a bank webhook, or for a loan (loanId set; the answer to LoanDisbursementRequested).',
    {
      creditLineId,
      drawdownId: Schema.uuid(),
      amount: amount('Drawn paise'),
      drawnOn: Schema.date(),
      purpose: Schema.text(),
      loanId: Schema.nullable(Schema.uuid('The loan this draw funds')),
      bankReference,
    },
  ),
  contract(
    'CreditDrawSettled',
    "The bank confirmed a drawdown recorded without its reference (one made for a loan, or through the API without bankReference): it gives the drawdown the bank's reference and changes no sum.",
    {
      creditLineId,
      drawdownId: Schema.uuid('The CreditDrawn it settles'),
      bankReference: Schema.text("The bank's reference (e.g. a UTR), unique per credit line"),
      settledOn: Schema.date("The bank's value date"),
    },
  ),
  contract('CreditDrawRejected', 'A LoanDisbursementRequested could not be funded from the line; nothing was drawn.', {
    creditLineId: Schema.text('The credit line the request named (possibly unknown)'),
    loanId: Schema.uuid(),
    amount: Schema.integer('Requested paise'),
    reason: Schema.oneOf(CREDIT_DRAW_REJECTION_REASONS),
    rejectedOn: Schema.date('The requestedOn date of the request'),
  }),
  contract('InterestCharged', 'The bank charged interest on the line (reported by a bank webhook).', {
    creditLineId,
    amount: amount('Interest paise'),
    chargedOn: Schema.date(),
    bankReference,
  }),
  contract('CreditRepaid', 'A repayment on the line: charged interest first, then principal, which becomes available again.', {
    creditLineId,
    repaymentId: Schema.uuid(),
    amount: amount('Repaid paise'),
    repaidOn: Schema.date(),
    allocation: Schema.object({ interest: Schema.paise(), principal: Schema.paise() }),
    bankReference,
  }),
  contract(
    'BankWebhookAccepted',
    'A signed bank notification was verified and stored; it is processed into the events above asynchronously.',
    {
      bankId,
      deliveryId: Schema.text('The webhook-id header of the delivery'),
      type: Schema.oneOf(BANK_WEBHOOK_TYPES),
      receivedAt: Schema.timestamp(),
    },
  ),
];
