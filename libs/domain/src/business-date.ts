/** Business dates are `YYYY-MM-DD` strings, calendar days without a time zone. */
const DAY_MS = 86_400_000;

/**
 * A `YYYY-MM-DD` date that exists in the calendar (2025-02-30 does not, nor does year 0000: the
 * calendar goes from 1 BC to AD 1, and Postgres refuses it).
 */
export function isBusinessDate(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value) || value.startsWith('0000')) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (value: unknown): value is string => typeof value === 'string' && UUID.test(value);

const parts = (date: string): [number, number, number] => {
  const [year, month, day] = date.split('-').map(Number);
  return [year, month, day];
};

const format = (year: number, month: number, day: number): string =>
  `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;

const daysInMonth = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** The same day `months` later, clamped to that month's last day (31 Jan + 1 month = 28/29 Feb). */
export function addMonths(date: string, months: number): string {
  const [year, month, day] = parts(date);
  const index = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(index / 12);
  const targetMonth = (index % 12) + 1;
  return format(targetYear, targetMonth, Math.min(day, daysInMonth(targetYear, targetMonth)));
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  const utc = (date: string) => {
    const [year, month, day] = parts(date);
    return Date.UTC(year, month - 1, day);
  };
  return Math.round((utc(to) - utc(from)) / DAY_MS);
}

/** `date` plus `days` (negative goes back). */
export function addDays(date: string, days: number): string {
  const [year, month, day] = parts(date);
  const moved = new Date(Date.UTC(year, month - 1, day) + days * DAY_MS);
  return format(moved.getUTCFullYear(), moved.getUTCMonth() + 1, moved.getUTCDate());
}

/** From `from` to `to`, both included. */
export interface DateRange {
  from: string;
  to: string;
}

/** Configured at start-up (BUSINESS_DATE_MIN, BUSINESS_DATE_FUTURE_DAYS). */
export interface BusinessDateLimits {
  /** The earliest date a fact may carry: SHG records go back before the 1992 NABARD pilot. */
  earliest: string;
  /** How many days after today a fact may be dated (a field app's clock, time zones, a cheque dated ahead). */
  futureDays: number;
}

export const DEFAULT_BUSINESS_DATE_LIMITS: BusinessDateLimits = { earliest: '1980-01-01', futureDays: 7 };

/** How far ahead a planned date (a credit line's `expiresOn`) may lie. */
export const PLANNED_YEARS_AHEAD = 50;

/**
 * The dates a service accepts on `today`: `occurred` for something that happened (deposited,
 * paid, drawn, formed, approved...), `planned` for something that will (a line's expiry), `query`
 * for a date a read is stated at (any real date).
 */
export interface BusinessDateRanges {
  occurred: DateRange;
  planned: DateRange;
  query: DateRange;
}

export type BusinessDateKind = keyof BusinessDateRanges;

export const businessDateRanges = ({ earliest, futureDays }: BusinessDateLimits, today: string): BusinessDateRanges => ({
  occurred: { from: earliest, to: addDays(today, futureDays) },
  planned: { from: earliest, to: addMonths(today, 12 * PLANNED_YEARS_AHEAD) },
  query: { from: '0001-01-01', to: '9999-12-31' },
});

/** A real date inside the range (YYYY-MM-DD strings compare like the dates they write). */
export const isDateWithin = (value: unknown, { from, to }: DateRange): value is string =>
  isBusinessDate(value) && value >= from && value <= to;
