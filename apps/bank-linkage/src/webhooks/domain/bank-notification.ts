import { BANK_WEBHOOK_TYPES, type BankWebhookType } from '@sangam/contracts';
import { assertNever, isBusinessDate, isDateWithin, isUuid, type DateRange } from '@sangam/domain';
import { MAX_PAISE } from '@sangam/money';
import type { CreditLineCommand } from '../../credit-lines/domain/credit-line.decider';

export interface BankNotification {
  type: BankWebhookType;
  data: { creditLineId: string; amount: number; valueDate: string; bankReference: string };
}

export type ParsedNotification = { ok: true; notification: BankNotification } | { ok: false; reason: string };

const MAX_REFERENCE_LENGTH = 100;
const TOP_LEVEL_FIELDS = new Set(['type', 'data', 'timestamp']);
const DATA_FIELDS = ['creditLineId', 'amount', 'valueDate', 'bankReference'];

/** NUL and the other control characters, or half a surrogate pair: no bank reference has them, and Postgres cannot store some. */
const UNSAFE_TEXT = /[\u0000-\u001F\u007F-\u009F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const UNSAFE_TEXT_GLOBAL = new RegExp(UNSAFE_TEXT.source, 'g');

/** A field name from the body as the stored reason may quote it. */
const quoted = (field: string): string => field.replace(UNSAFE_TEXT_GLOBAL, '\uFFFD').slice(0, 100);

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function dataProblem(data: Record<string, unknown>, valueDates: DateRange): string | null {
  const unknown = Object.keys(data).filter((field) => !DATA_FIELDS.includes(field));
  if (unknown.length > 0) return `unknown field data.${quoted(unknown[0])}`;
  if (!isUuid(data.creditLineId)) return 'data.creditLineId must be a UUID';
  const amount = data.amount;
  if (typeof amount !== 'number' || !Number.isSafeInteger(amount) || amount < 1 || amount > MAX_PAISE) {
    return 'data.amount must be an integer number of paise from 1 to 1000000000000';
  }
  if (!isBusinessDate(data.valueDate)) return 'data.valueDate must be a real date written YYYY-MM-DD';
  if (!isDateWithin(data.valueDate, valueDates)) return `data.valueDate must be a date from ${valueDates.from} to ${valueDates.to}`;
  const reference = data.bankReference;
  if (typeof reference !== 'string' || !/\S/.test(reference) || reference.length > MAX_REFERENCE_LENGTH) {
    return `data.bankReference must be a non-blank string of at most ${MAX_REFERENCE_LENGTH} characters`;
  }
  if (UNSAFE_TEXT.test(reference)) return 'data.bankReference must not contain control characters or unpaired surrogates';
  return null;
}

/**
 * Reads a bank's notification body strictly: anything unexpected sends the delivery to quarantine.
 * `valueDates`: the dates something that happened may carry, as of the delivery (the edge knows today).
 */
export function parseBankNotification(body: Buffer, valueDates: DateRange): ParsedNotification {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch {
    return { ok: false, reason: 'the body is not UTF-8 JSON' };
  }
  if (!isObject(parsed)) return { ok: false, reason: 'the body is not a JSON object' };
  const unknown = Object.keys(parsed).filter((field) => !TOP_LEVEL_FIELDS.has(field));
  if (unknown.length > 0) return { ok: false, reason: `unknown field ${quoted(unknown[0])}` };
  if (!BANK_WEBHOOK_TYPES.includes(parsed.type as BankWebhookType)) {
    // Quoting only a string: JSON.stringify of a type nested thousands of arrays deep would exhaust the stack.
    return {
      ok: false,
      reason: typeof parsed.type === 'string' ? `unknown type ${JSON.stringify(parsed.type.slice(0, 100))}` : 'type must be a string',
    };
  }
  if (!isObject(parsed.data)) return { ok: false, reason: 'data must be an object' };
  const problem = dataProblem(parsed.data, valueDates);
  if (problem) return { ok: false, reason: problem };
  return { ok: true, notification: { type: parsed.type as BankWebhookType, data: parsed.data as BankNotification['data'] } };
}

export const SETTLED_DRAWDOWN_PURPOSE = 'Drawdown settled by the bank';

/** The credit-line command a notification reports; `newId` names the drawdown or repayment it records. */
export function commandFor(bankId: string, { type, data }: BankNotification, newId: string): CreditLineCommand {
  const { creditLineId, amount, valueDate, bankReference } = data;
  const common = { creditLineId, amount, bankReference, reportingBankId: bankId };
  switch (type) {
    case 'credit_line.drawdown.settled':
      return {
        type: 'DrawCredit',
        data: { ...common, drawdownId: newId, drawnOn: valueDate, purpose: SETTLED_DRAWDOWN_PURPOSE, loan: null },
      };
    case 'credit_line.repayment.received':
      return { type: 'RepayCredit', data: { ...common, repaymentId: newId, repaidOn: valueDate } };
    case 'credit_line.interest.charged':
      return { type: 'ChargeInterest', data: { ...common, chargedOn: valueDate } };
    default:
      return assertNever(type);
  }
}
