/** Money is integer paise end to end; the console only formats it and parses what a person types. */
export type Language = 'en' | 'hi';

const locale = (language: Language) => (language === 'hi' ? 'hi-IN' : 'en-IN');
const RUPEE = { en: 'Rs', hi: 'रु' } as const;

/** 10000000 paise -> "Rs 1,00,000" (lakh and crore grouping); paise shown only when there are some. */
export function formatPaise(paise: number | bigint, language: Language): string {
  const value = BigInt(paise);
  const whole = value < 0n ? -value : value;
  const rupees = new Intl.NumberFormat(locale(language)).format(whole / 100n);
  const rest = whole % 100n;
  return `${value < 0n ? '-' : ''}${RUPEE[language]} ${rupees}${rest === 0n ? '' : `.${String(rest).padStart(2, '0')}`}`;
}

/** A ratio in [0, 1] (PAR30) as a percentage with up to two decimals: 0.1613 -> "16.13%". */
export const formatRatio = (ratio: number, language: Language): string =>
  new Intl.NumberFormat(locale(language), { style: 'percent', maximumFractionDigits: 2 }).format(ratio);

export const formatCount = (count: number, language: Language): string => new Intl.NumberFormat(locale(language)).format(count);

/**
 * What a person typed in rupees ("1,200" or "1200.50") as paise, without floating point;
 * undefined for an empty field, NaN for anything else that is not a positive amount.
 */
export function parseRupees(text: string): number | undefined {
  const plain = text.replace(/[\s,]/g, '');
  if (plain === '') return undefined;
  const match = /^(\d{1,10})(?:\.(\d{1,2}))?$/.exec(plain);
  if (!match) return NaN;
  const paise = Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
  return paise > 0 ? paise : NaN;
}

/** Paise as a person would type them back: 50050 -> "500.50". */
export function rupeesText(paise: number): string {
  const rest = paise % 100;
  return `${Math.trunc(paise / 100)}${rest === 0 ? '' : `.${String(rest).padStart(2, '0')}`}`;
}
