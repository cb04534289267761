/** Business dates are YYYY-MM-DD strings; month arithmetic is done in UTC so no time zone moves a day. */
const iso = (date: Date) => date.toISOString().slice(0, 10);

/** The last day of each of the `months` - 1 months before asOf's, then asOf itself: the points of a trend. */
export function trendDates(asOf: string, months = 12): string[] {
  const [year, month] = asOf.split('-').map(Number);
  const ends = Array.from({ length: months - 1 }, (_, i) => iso(new Date(Date.UTC(year, month - (months - 1 - i), 0))));
  return [...ends, asOf];
}

export const isDate = (text: string | null): text is string =>
  !!text && /^\d{4}-\d{2}-\d{2}$/.test(text) && !Number.isNaN(Date.parse(text));
