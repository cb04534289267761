import { isDate, trendDates } from './dates';

describe('trend dates', () => {
  it('reads the last day of each of the 11 months before, then the chosen date', () => {
    expect(trendDates('2005-12-31')).toEqual([
      '2005-01-31',
      '2005-02-28',
      '2005-03-31',
      '2005-04-30',
      '2005-05-31',
      '2005-06-30',
      '2005-07-31',
      '2005-08-31',
      '2005-09-30',
      '2005-10-31',
      '2005-11-30',
      '2005-12-31',
    ]);
  });

  it('crosses a year and a leap February', () => {
    expect(trendDates('2004-03-15', 4)).toEqual(['2003-12-31', '2004-01-31', '2004-02-29', '2004-03-15']);
  });

  it('knows a date from what is not one', () => {
    expect(isDate('2005-12-31')).toBe(true);
    expect(isDate('2005-13-01')).toBe(false);
    expect(isDate('yesterday')).toBe(false);
    expect(isDate(null)).toBe(false);
  });
});
