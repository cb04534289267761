import { dateOutOfOrder, DomainError, requireNotBefore, ruleBroken } from './errors';

const thrownBy = (run: () => void): DomainError => {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('nothing was thrown');
};

describe('a broken business rule', () => {
  it('is a 422 business_rule error with its code, and no details unless it names some', () => {
    expect(ruleBroken('shg_full', 'full')).toMatchObject({ code: 'shg_full', category: 'business_rule', details: undefined });
    expect(ruleBroken('shg_full', 'full', [{ field: 'memberId', message: 'full' }]).details).toEqual([
      { field: 'memberId', message: 'full' },
    ]);
  });
});

describe('date_out_of_order', () => {
  it('names the field that carries the date, and both dates', () => {
    const error = dateOutOfOrder('paidOn', '2025-01-14', '2025-01-15', 'the loan was disbursed');
    expect(error).toMatchObject({ code: 'date_out_of_order', category: 'business_rule' });
    expect(error.details).toEqual([{ field: 'paidOn', message: expect.stringContaining('2025-01-14') }]);
    expect(error.details![0].message).toContain('2025-01-15');
    expect(error.message).toContain('2025-01-14');
    expect(error.message).toContain('2025-01-15');
  });

  it('is thrown for a date before the earliest, not for the earliest itself or a later one', () => {
    expect(thrownBy(() => requireNotBefore('depositedOn', '2005-03-31', '2005-04-01', 'the SHG was formed'))).toMatchObject({
      code: 'date_out_of_order',
      details: [{ field: 'depositedOn' }],
    });
    expect(() => requireNotBefore('depositedOn', '2005-04-01', '2005-04-01', 'the SHG was formed')).not.toThrow();
    expect(() => requireNotBefore('depositedOn', '2005-04-02', '2005-04-01', 'the SHG was formed')).not.toThrow();
  });
});
