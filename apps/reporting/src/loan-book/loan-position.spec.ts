import type { ScheduledInstallment } from '@sangam/contracts';
import { daysPastDue, positionOf } from './loan-position';

const schedule: ScheduledInstallment[] = [
  { number: 1, dueOn: '2005-07-15', principal: 30_000, interest: 1_200 },
  { number: 2, dueOn: '2005-08-15', principal: 30_000, interest: 1_200 },
  { number: 3, dueOn: '2005-09-15', principal: 30_000, interest: 1_200 },
];
const paid = (principal: number, interest: number) => ({ principal, interest });

describe('daysPastDue', () => {
  it('is 0 while nothing has fallen due', () => {
    expect(daysPastDue(schedule, paid(0, 0), '2005-07-14')).toBe(0);
  });

  it('is 0 on the due date itself and counts days after it', () => {
    expect(daysPastDue(schedule, paid(0, 0), '2005-07-15')).toBe(0);
    expect(daysPastDue(schedule, paid(0, 0), '2005-08-01')).toBe(17);
  });

  it('ages the oldest installment not fully paid', () => {
    expect(daysPastDue(schedule, paid(30_000, 1_200), '2005-09-01')).toBe(17);
    expect(daysPastDue(schedule, paid(0, 0), '2005-09-01')).toBe(48);
  });

  it('counts an installment whose interest is paid but not its principal as unpaid', () => {
    expect(daysPastDue(schedule, paid(29_999, 3_600), '2005-08-01')).toBe(17);
  });

  it('counts an installment whose principal is paid but not its interest as unpaid', () => {
    expect(daysPastDue(schedule, paid(60_000, 1_199), '2005-08-01')).toBe(17);
  });

  it('is 0 when everything due is paid, even with later installments open', () => {
    expect(daysPastDue(schedule, paid(60_000, 2_400), '2005-09-14')).toBe(0);
  });

  it('ages installments in the order they fall due, whatever order the schedule lists them in', () => {
    const [first, second, third] = schedule;
    expect(daysPastDue([third, second, first], paid(30_000, 1_200), '2005-09-01')).toBe(17);
  });

  it('crosses month and year ends by calendar days', () => {
    const late = [{ number: 1, dueOn: '2005-12-31', principal: 1, interest: 0 }];
    expect(daysPastDue(late, paid(0, 0), '2006-03-01')).toBe(60);
  });
});

describe('positionOf', () => {
  const loan = { principal: 90_000, disbursedOn: '2005-06-15', closedOn: null, schedule, paidToDate: paid(30_000, 1_200) };

  it('owes nothing and is not late before the disbursement', () => {
    expect(positionOf({ ...loan, paidToDate: paid(0, 0) }, '2005-06-14')).toEqual({
      disbursed: false,
      closed: false,
      outstandingPrincipal: 0,
      daysPastDue: 0,
    });
  });

  it('owes the whole principal on the day of the disbursement', () => {
    expect(positionOf({ ...loan, paidToDate: paid(0, 0) }, '2005-06-15')).toEqual({
      disbursed: true,
      closed: false,
      outstandingPrincipal: 90_000,
      daysPastDue: 0,
    });
  });

  it('owes the principal not repaid by the date', () => {
    expect(positionOf(loan, '2005-09-01')).toEqual({ disbursed: true, closed: false, outstandingPrincipal: 60_000, daysPastDue: 17 });
  });

  it('is closed from its closing date on', () => {
    const closed = { ...loan, closedOn: '2005-09-15', paidToDate: paid(90_000, 3_600) };
    expect(positionOf(closed, '2005-09-15')).toEqual({ disbursed: true, closed: true, outstandingPrincipal: 0, daysPastDue: 0 });
    expect(positionOf(closed, '2005-09-14').closed).toBe(false);
  });

  it('is never disbursed when it never was', () => {
    expect(positionOf({ ...loan, disbursedOn: null, schedule: [], paidToDate: paid(0, 0) }, '2030-01-01')).toMatchObject({
      disbursed: false,
      daysPastDue: 0,
    });
  });

  it('is never late once closed, even if the repayments dated by then leave some of the scheduled interest unpaid', () => {
    const repaidEarly = { ...loan, closedOn: '2005-07-01', paidToDate: paid(90_000, 100) };
    expect(positionOf(repaidEarly, '2005-12-01')).toEqual({ disbursed: true, closed: true, outstandingPrincipal: 0, daysPastDue: 0 });
  });

  it('is never late before it is disbursed, whatever its schedule says fell due', () => {
    expect(positionOf({ ...loan, disbursedOn: '2006-01-01', paidToDate: paid(0, 0) }, '2005-12-01')).toEqual({
      disbursed: false,
      closed: false,
      outstandingPrincipal: 0,
      daysPastDue: 0,
    });
  });
});
