import fc from 'fast-check';
import {
  addDays,
  addMonths,
  businessDateRanges,
  DEFAULT_BUSINESS_DATE_LIMITS,
  daysBetween,
  isBusinessDate,
  isDateWithin,
  isUuid,
} from './business-date';

describe('addMonths', () => {
  it.each([
    ['2025-01-15', 1, '2025-02-15'],
    ['2025-01-31', 1, '2025-02-28'],
    ['2024-01-31', 1, '2024-02-29'],
    ['2024-01-31', 2, '2024-03-31'],
    ['2025-03-31', 1, '2025-04-30'],
    ['2005-11-30', 3, '2006-02-28'],
    ['2025-12-10', 1, '2026-01-10'],
    ['2025-05-20', 24, '2027-05-20'],
    ['0999-01-31', 1, '0999-02-28'],
  ])('%s plus %i months is %s', (date, months, expected) => {
    expect(addMonths(date, months)).toBe(expected);
  });

  it('counts every month from the original day, so a clamp does not carry into later months', () => {
    expect([1, 2, 3].map((k) => addMonths('2025-01-31', k))).toEqual(['2025-02-28', '2025-03-31', '2025-04-30']);
  });
});

describe('daysBetween', () => {
  it.each([
    ['2025-01-01', '2025-01-01', 0],
    ['2025-01-01', '2025-01-31', 30],
    ['2024-02-28', '2024-03-01', 2],
    ['2025-03-01', '2025-02-27', -2],
    ['2004-12-31', '2005-12-31', 365],
  ])('from %s to %s is %i days', (from, to, expected) => {
    expect(daysBetween(from, to)).toBe(expected);
  });

  it('adds up: days(a, b) + days(b, c) = days(a, c)', () => {
    const date = fc
      .date({ min: new Date('1990-01-01'), max: new Date('2100-12-31'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10));
    fc.assert(fc.property(date, date, date, (a, b, c) => daysBetween(a, b) + daysBetween(b, c) === daysBetween(a, c)));
  });
});

describe('isBusinessDate and isUuid', () => {
  it('accepts only real calendar dates written YYYY-MM-DD', () => {
    expect(['2024-02-29', '2005-12-31'].every(isBusinessDate)).toBe(true);
    expect(['2025-02-29', '2025-13-01', '2025-1-01', '01-01-2025', 20250101, null].some(isBusinessDate)).toBe(false);
  });

  it('refuses the expanded years ISO 8601 also writes, which JavaScript dates read', () => {
    expect(['+012025-01-01', '-000001-01-01'].some(isBusinessDate)).toBe(false);
  });

  it('knows no year 0000: the calendar goes from 1 BC to AD 1, and Postgres refuses it', () => {
    expect(['0000-01-01', '0000-02-29', '0000-12-31'].some(isBusinessDate)).toBe(false);
    expect(['0001-01-01', '9999-12-31'].every(isBusinessDate)).toBe(true);
  });

  it('accepts only UUIDs', () => {
    expect(isUuid('853e4e43-9674-4545-ad0a-2c0e215b82f7')).toBe(true);
    expect(['853e4e43', 'not-a-uuid', 42].some(isUuid)).toBe(false);
    expect(['x853e4e43-9674-4545-ad0a-2c0e215b82f7', '853e4e43-9674-4545-ad0a-2c0e215b82f7x'].some(isUuid)).toBe(false);
  });
});

describe('addDays', () => {
  it.each([
    ['2025-12-28', 7, '2026-01-04'],
    ['2024-02-28', 1, '2024-02-29'],
    ['2025-03-01', -1, '2025-02-28'],
    ['2025-01-10', 0, '2025-01-10'],
  ])('%s plus %i days is %s', (date, days, expected) => {
    expect(addDays(date, days)).toBe(expected);
  });
});

describe('the dates a service accepts', () => {
  const ranges = businessDateRanges({ earliest: '1980-01-01', futureDays: 7 }, '2026-01-10');

  it('takes a fact that happened from the earliest date to a few days after today', () => {
    expect(ranges.occurred).toEqual({ from: '1980-01-01', to: '2026-01-17' });
    expect(['1980-01-01', '2005-05-01', '2026-01-17'].every((date) => isDateWithin(date, ranges.occurred))).toBe(true);
    expect(
      ['1979-12-31', '2026-01-18', '0000-01-01', '1900-01-01', '2025-02-29', 19800101].some((date) => isDateWithin(date, ranges.occurred)),
    ).toBe(false);
  });

  it('takes a planned date up to 50 years ahead, and a date a read is stated at anywhere in the calendar', () => {
    expect(ranges.planned).toEqual({ from: '1980-01-01', to: '2076-01-10' });
    expect(isDateWithin('2076-01-11', ranges.planned)).toBe(false);
    expect(['0001-01-01', '1900-01-01', '9999-12-31'].every((date) => isDateWithin(date, ranges.query))).toBe(true);
    expect(isDateWithin('0000-01-01', ranges.query)).toBe(false);
  });

  it('by default takes facts from 1980-01-01, before the 1992 NABARD pilot, and up to 7 days ahead', () => {
    const defaults = businessDateRanges(DEFAULT_BUSINESS_DATE_LIMITS, '2026-01-10');
    expect(defaults.occurred).toEqual({ from: '1980-01-01', to: '2026-01-17' });
    expect(isDateWithin('1979-12-31', defaults.occurred)).toBe(false);
    expect(isDateWithin('1980-01-01', defaults.occurred)).toBe(true);
  });
});
