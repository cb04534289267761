import { isFrozen, newEntry, pending, requestFor, settle, type Sheet } from './collection';

const keys = () => {
  let n = 0;
  return () => `key-${++n}`;
};

const sheetWith = (...entries: Sheet['entries']): Sheet => ({ shgId: 'shg-1', meetingDate: '2005-12-10', entries });

describe('a collection sheet entry', () => {
  it('keeps its Idempotency-Key, amount and date when the connection drops, so a resubmit cannot record twice', () => {
    const entry = { ...newEntry('deposit', 'member-1', keys()), amount: 50_000 };
    const dropped = settle(entry, undefined, () => 'another-key');
    expect(dropped).toMatchObject({ idempotencyKey: 'key-1', outcome: { state: 'unsure' } });
    expect(isFrozen(dropped)).toBe(true);
    expect(pending(sheetWith(dropped))).toEqual([dropped]);
  });

  it('treats a server failure like a lost answer', () => {
    const entry = { ...newEntry('deposit', 'member-1', keys()), amount: 50_000 };
    expect(settle(entry, { status: 503, body: { error: 'service_unavailable', message: 'later' } }, () => 'new')).toMatchObject({
      idempotencyKey: 'key-1',
      outcome: { state: 'unsure' },
    });
  });

  it('is not sent again once recorded', () => {
    const entry = { ...newEntry('deposit', 'member-1', keys()), amount: 50_000 };
    const recorded = settle(entry, { status: 201, body: { id: 'd-1' } }, () => 'new');
    expect(recorded.outcome).toEqual({ state: 'recorded' });
    expect(pending(sheetWith(recorded))).toEqual([]);
  });

  it('shows a refusal with the contract message and takes a fresh key for the corrected entry', () => {
    const entry = { ...newEntry('repayment', 'loan-1', keys()), amount: 9_999_999 };
    const refused = settle(
      entry,
      { status: 422, body: { error: 'loan_overpayment', message: 'The repayment is more than the loan still owes' } },
      () => 'fresh',
    );
    expect(refused).toMatchObject({
      idempotencyKey: 'fresh',
      outcome: { state: 'refused', message: 'The repayment is more than the loan still owes' },
    });
    expect(isFrozen(refused)).toBe(false);
  });

  it('sends only entries with an amount', () => {
    const next = keys();
    const empty = newEntry('deposit', 'member-1', next);
    const filled = { ...newEntry('deposit', 'member-2', next), amount: 100 };
    expect(pending(sheetWith(empty, filled))).toEqual([filled]);
  });

  it('records a deposit with groups and a repayment with lending, dated the meeting', () => {
    const next = keys();
    const sheet = sheetWith();
    expect(requestFor(sheet, { ...newEntry('deposit', 'member-1', next), amount: 100 })).toEqual({
      service: 'groups',
      path: '/shgs/shg-1/savings/deposits',
      body: { memberId: 'member-1', amount: 100, depositedOn: '2005-12-10' },
    });
    expect(requestFor(sheet, { ...newEntry('repayment', 'loan-1', next), amount: 200 })).toEqual({
      service: 'lending',
      path: '/loans/loan-1/repayments',
      body: { amount: 200, paidOn: '2005-12-10' },
    });
  });
});
