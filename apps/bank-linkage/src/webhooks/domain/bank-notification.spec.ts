import { commandFor, parseBankNotification, SETTLED_DRAWDOWN_PURPOSE, type BankNotification } from './bank-notification';

const creditLineId = '0b8f7f4e-3a6c-4d0e-9c55-8f0c2b7d1a01';
const bankId = '7d1c7a58-5f0e-4c4e-9a39-0c3d3f1e0a11';
const data = { creditLineId, amount: 500000, valueDate: '2005-11-14', bankReference: 'UTR0001' };
const json = (value: unknown) => Buffer.from(JSON.stringify(value));
const notification = (type: BankNotification['type']): BankNotification => ({ type, data });
/** The value dates a bank may report on 2026-01-10 with the default limits: 1980-01-01 to a week ahead. */
const valueDates = { from: '1980-01-01', to: '2026-01-17' };
const parse = (body: Buffer) => parseBankNotification(body, valueDates);

describe('reading a bank notification', () => {
  it.each(['credit_line.drawdown.settled', 'credit_line.repayment.received', 'credit_line.interest.charged'] as const)(
    'reads %s',
    (type) => {
      expect(parse(json({ type, data }))).toEqual({ ok: true, notification: notification(type) });
    },
  );

  it('reads value dates from the first to the last date a fact may carry', () => {
    for (const valueDate of ['1980-01-01', '2026-01-17'])
      expect(parse(json({ type: 'credit_line.interest.charged', data: { ...data, valueDate } })).ok).toBe(true);
  });

  it('reads the smallest and the largest amount of the contract range and a bank reference of 100 characters', () => {
    const charged = (fields: Partial<typeof data>) => parse(json({ type: 'credit_line.interest.charged', data: { ...data, ...fields } }));
    expect(charged({ amount: 1 }).ok).toBe(true);
    expect(charged({ amount: 1_000_000_000_000 }).ok).toBe(true);
    expect(charged({ bankReference: 'U'.repeat(100) }).ok).toBe(true);
    expect(charged({ bankReference: 'U'.repeat(101) }).ok).toBe(false);
  });

  it('reads any printable text in a bank reference, a character outside the Basic Multilingual Plane included', () => {
    for (const bankReference of ['UTR 0001/A~', 'UTR\u00a0Ñ', 'UTR\ud83d\ude00', '\ud83d\ude00UTR']) {
      expect(parse(json({ type: 'credit_line.interest.charged', data: { ...data, bankReference } }))).toEqual({
        ok: true,
        notification: { type: 'credit_line.interest.charged', data: { ...data, bankReference } },
      });
    }
  });

  it.each([
    ['the first control character', 'UTR\u0000'],
    ['the last C0 control character', 'UTR\u001f'],
    ['DEL', 'UTR\u007f'],
    ['the last C1 control character', 'UTR\u009f'],
    ['a high surrogate before a letter', 'UTR\ud800A'],
    ['a lone low surrogate', 'UTR\udc00'],
    ['a low surrogate after a letter', 'A\udc00UTR'],
    ['a surrogate pair in the wrong order', 'UTR\ude00\ud83d'],
  ])('quarantines a bank reference with %s', (_, bankReference) => {
    expect(parse(json({ type: 'credit_line.interest.charged', data: { ...data, bankReference } })).ok).toBe(false);
  });

  it('quarantines a body with bytes that are not UTF-8 inside a JSON string, rather than reading them as U+FFFD', () => {
    const body = Buffer.concat([
      Buffer.from(
        '{"type":"credit_line.interest.charged","data":{"creditLineId":"0b8f7f4e-3a6c-4d0e-9c55-8f0c2b7d1a01","amount":500000,"valueDate":"2005-11-14","bankReference":"UTR',
      ),
      Buffer.from([0xff]),
      Buffer.from('"}}'),
    ]);
    expect(parse(body).ok).toBe(false);
  });

  it('accepts the optional Standard Webhooks timestamp field', () => {
    expect(parse(json({ type: 'credit_line.interest.charged', timestamp: '2005-11-14T10:00:00Z', data })).ok).toBe(true);
  });

  it.each<[string, Buffer]>([
    ['a body that is not JSON', Buffer.from('amount=500000')],
    ['a body that is not UTF-8', Buffer.from([0x7b, 0xff, 0x7d])],
    ['a JSON array', json([data])],
    ['JSON null', json(null)],
    ['null data', json({ type: 'credit_line.interest.charged', data: null })],
    ['data that is an array', json({ type: 'credit_line.interest.charged', data: [data] })],
    ['an unknown type', json({ type: 'credit_line.closed', data })],
    ['a missing type', json({ data })],
    ['an unknown top-level field', json({ type: 'credit_line.interest.charged', data, extra: 1 })],
    ['missing data', json({ type: 'credit_line.interest.charged' })],
    ['an unknown data field', json({ type: 'credit_line.interest.charged', data: { ...data, currency: 'INR' } })],
    ['a credit line id that is not a UUID', json({ type: 'credit_line.interest.charged', data: { ...data, creditLineId: 'CL-1' } })],
    ['a fractional amount', json({ type: 'credit_line.interest.charged', data: { ...data, amount: 10.5 } })],
    ['an amount as a string', json({ type: 'credit_line.interest.charged', data: { ...data, amount: '500000' } })],
    ['a zero amount', json({ type: 'credit_line.interest.charged', data: { ...data, amount: 0 } })],
    ['an amount above the contract range', json({ type: 'credit_line.interest.charged', data: { ...data, amount: 1_000_000_000_001 } })],
    ['a date that does not exist', json({ type: 'credit_line.interest.charged', data: { ...data, valueDate: '2005-02-30' } })],
    ['a month that does not exist', json({ type: 'credit_line.interest.charged', data: { ...data, valueDate: '2005-13-01' } })],
    ['year 0000, which no calendar has', json({ type: 'credit_line.interest.charged', data: { ...data, valueDate: '0000-01-01' } })],
    [
      'a value date before the earliest date a fact may carry',
      json({ type: 'credit_line.interest.charged', data: { ...data, valueDate: '1979-12-31' } }),
    ],
    ['a value date past the latest one', json({ type: 'credit_line.interest.charged', data: { ...data, valueDate: '2026-01-18' } })],
    ['a blank bank reference', json({ type: 'credit_line.interest.charged', data: { ...data, bankReference: '  ' } })],
    [
      'a missing bank reference',
      json({ type: 'credit_line.interest.charged', data: { creditLineId, amount: 1, valueDate: '2005-11-14' } }),
    ],
    ['a NUL in the bank reference', json({ type: 'credit_line.interest.charged', data: { ...data, bankReference: 'UTR\u0000' } })],
    [
      'a lone surrogate in the bank reference',
      json({ type: 'credit_line.interest.charged', data: { ...data, bankReference: 'UTR\ud800' } }),
    ],
    ['a line break in the bank reference', json({ type: 'credit_line.interest.charged', data: { ...data, bankReference: 'UTR\n1' } })],
    ['a type nested 20,000 arrays deep', Buffer.from(`{"type":${'['.repeat(20_000)}${']'.repeat(20_000)}}`)],
  ])('quarantines %s', (_, body) => {
    const parsed = parse(body);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok === false && parsed.reason.length).toBeGreaterThan(0);
  });

  it('keeps the reason short and free of control characters, whatever the body names (the reason is stored as text)', () => {
    const reasonFor = (body: Buffer) => {
      const parsed = parse(body);
      return parsed.ok ? '' : parsed.reason;
    };
    const reasons = [
      reasonFor(Buffer.from(`{"${'\\u0000'.repeat(3)}${'x'.repeat(5000)}":1}`)),
      reasonFor(json({ type: `credit_line.${'x'.repeat(5000)}`, data })),
      reasonFor(json({ type: 'credit_line.interest.charged', data: { ...data, [`a\u0000b\u0001${'x'.repeat(5000)}`]: 1 } })),
    ];
    for (const reason of reasons) {
      expect(reason.length).toBeGreaterThan(0);
      expect(reason.length).toBeLessThan(200);
      expect(reason).not.toMatch(/[\u0000-\u001f]/);
    }
  });

  it('quotes a hostile field name in the reason without its control characters (the reason is stored as text)', () => {
    const parsed = parse(Buffer.from('{"na\\u0000me":1}'));
    expect(parsed).toEqual({ ok: false, reason: 'unknown field na\uFFFDme' });
  });

  it('gives each kind of problem its own reason, so a quarantined delivery says what was wrong with it', () => {
    const reasonFor = (body: Buffer) => {
      const parsed = parse(body);
      return parsed.ok ? null : parsed.reason;
    };
    const charged = (valueDate: string) => json({ type: 'credit_line.interest.charged', data: { ...data, valueDate } });
    const reasons = [
      reasonFor(Buffer.from('amount=500000')), // not JSON
      reasonFor(json([data])), // JSON, not an object
      reasonFor(charged('2005-02-30')), // a date no calendar has
      reasonFor(charged('1979-12-31')), // a real date, out of range
    ];
    expect(reasons).not.toContain(null);
    expect(new Set(reasons).size).toBe(reasons.length);
  });
});

describe('the command a notification reports', () => {
  it('gives a drawdown the bank settled a purpose that says so', () => {
    expect(SETTLED_DRAWDOWN_PURPOSE).toBe('Drawdown settled by the bank');
  });

  it('records a settled drawdown on its value date, reported by the bank', () => {
    expect(commandFor(bankId, notification('credit_line.drawdown.settled'), 'new-id')).toEqual({
      type: 'DrawCredit',
      data: {
        creditLineId,
        drawdownId: 'new-id',
        amount: 500000,
        drawnOn: '2005-11-14',
        purpose: SETTLED_DRAWDOWN_PURPOSE,
        bankReference: 'UTR0001',
        loan: null,
        reportingBankId: bankId,
      },
    });
  });

  it('records a received repayment', () => {
    expect(commandFor(bankId, notification('credit_line.repayment.received'), 'new-id')).toEqual({
      type: 'RepayCredit',
      data: {
        creditLineId,
        repaymentId: 'new-id',
        amount: 500000,
        repaidOn: '2005-11-14',
        bankReference: 'UTR0001',
        reportingBankId: bankId,
      },
    });
  });

  it('records charged interest', () => {
    expect(commandFor(bankId, notification('credit_line.interest.charged'), 'new-id')).toEqual({
      type: 'ChargeInterest',
      data: { creditLineId, amount: 500000, chargedOn: '2005-11-14', bankReference: 'UTR0001', reportingBankId: bankId },
    });
  });
});
