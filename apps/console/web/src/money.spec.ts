import { formatPaise, formatRatio, parseRupees, rupeesText } from './money';

describe('console money', () => {
  it('groups rupees in lakhs and crores, in English and Hindi', () => {
    expect(formatPaise(10_000_000, 'en')).toBe('Rs 1,00,000');
    expect(formatPaise(1_234_567_890_12n, 'en')).toBe('Rs 1,23,45,67,890.12');
    expect(formatPaise(3_621_666, 'hi')).toBe('रु 36,216.66');
    expect(formatPaise(-45_000, 'en')).toBe('-Rs 450');
    expect(formatPaise(5, 'en')).toBe('Rs 0.05');
  });

  it('shows PAR30 as a percentage', () => {
    expect(formatRatio(0.1613, 'en')).toBe('16.13%');
    expect(formatRatio(0, 'en')).toBe('0%');
  });

  it('reads typed rupees as whole paise, refusing what is not an amount', () => {
    expect(parseRupees('1,200')).toBe(120_000);
    expect(parseRupees(' 500.5 ')).toBe(50_050);
    expect(parseRupees('0.07')).toBe(7);
    expect(parseRupees('')).toBeUndefined();
    expect(parseRupees('12.345')).toBeNaN();
    expect(parseRupees('-5')).toBeNaN();
    expect(parseRupees('0')).toBeNaN();
    expect(parseRupees('1e3')).toBeNaN();
  });

  it('gives typed amounts back as they were typed', () => {
    expect(rupeesText(50_050)).toBe('500.50');
    expect(rupeesText(120_000)).toBe('1200');
    expect(parseRupees(rupeesText(7))).toBe(7);
  });
});
