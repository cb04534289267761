import { divideHalfUp, splitEvenly, toSafePaise } from '@sangam/money';
import { addMonths } from '@sangam/domain';
import type { InterestMethod, ScheduledInstallment } from './loan.events';

export interface ScheduleTerms {
  principal: number;
  annualInterestRateBps: number;
  termMonths: number;
  interestMethod: InterestMethod;
  disbursedOn: string;
}

type Parts = { principal: number; interest: number }[];

/** 12 months x 10,000 basis points: an annual rate in bps over this is the monthly rate. */
const MONTHLY_RATE_DIVISOR = 120_000n;

/** Monthly installments, the first one month after disbursement, each due on the same day of month (clamped). */
export function buildSchedule(terms: ScheduleTerms): ScheduledInstallment[] {
  // Without interest there is no reducing balance to speak of: both methods repay equal principal parts.
  const parts = terms.interestMethod === 'flat' || terms.annualInterestRateBps === 0 ? flatParts(terms) : decliningParts(terms);
  return parts.map((part, index) => ({ number: index + 1, dueOn: addMonths(terms.disbursedOn, index + 1), ...part }));
}

/** The contract's flat interest: I = floor((principal * bps * months + 60000) / 120000). */
export const flatInterest = (principal: number, annualInterestRateBps: number, termMonths: number): number =>
  toSafePaise(divideHalfUp(BigInt(principal) * BigInt(annualInterestRateBps) * BigInt(termMonths), MONTHLY_RATE_DIVISOR));

function flatParts({ principal, annualInterestRateBps, termMonths }: ScheduleTerms): Parts {
  const interest = splitEvenly(flatInterest(principal, annualInterestRateBps, termMonths), termMonths);
  return splitEvenly(principal, termMonths).map((part, i) => ({ principal: part, interest: interest[i] }));
}

/**
 * EMI = P r (1+r)^n / ((1+r)^n - 1) with r = bps / 120000, computed exactly in bigint and rounded
 * half-up to the paisa; each month's interest is the balance times r, rounded half-up.
 */
export function equatedMonthlyInstallment(principal: number, annualInterestRateBps: number, termMonths: number): number {
  const rate = BigInt(annualInterestRateBps);
  const growth = (MONTHLY_RATE_DIVISOR + rate) ** BigInt(termMonths);
  const base = MONTHLY_RATE_DIVISOR ** BigInt(termMonths);
  return toSafePaise(divideHalfUp(BigInt(principal) * rate * growth, MONTHLY_RATE_DIVISOR * (growth - base)));
}

function decliningParts({ principal, annualInterestRateBps, termMonths }: ScheduleTerms): Parts {
  const emi = BigInt(equatedMonthlyInstallment(principal, annualInterestRateBps, termMonths));
  const rate = BigInt(annualInterestRateBps);
  let balance = BigInt(principal);
  const parts: Parts = [];
  for (let month = 1; month <= termMonths; month++) {
    const interest = divideHalfUp(balance * rate, MONTHLY_RATE_DIVISOR);
    // The last installment absorbs the rounding. Before it, the EMI less the month's interest is never
    // negative (the EMI exceeds the interest on the whole principal, and rounding half-up keeps that
    // order), but on a loan of a few paise it can exceed what is left: the loan is then repaid early.
    const principalPart = month === termMonths ? balance : atMost(emi - interest, balance);
    balance -= principalPart;
    parts.push({ principal: toSafePaise(principalPart), interest: toSafePaise(interest) });
  }
  return parts;
}

const atMost = (value: bigint, max: bigint): bigint => (value > max ? max : value);
