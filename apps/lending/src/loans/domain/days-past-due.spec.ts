import { daysPastDue } from './days-past-due';

const schedule = [
  { number: 1, dueOn: '2025-02-15', principal: 1000, interest: 100 },
  { number: 2, dueOn: '2025-03-15', principal: 1000, interest: 100 },
];
const paidFirst = { paidOn: '2025-02-20', installments: [{ number: 1, interest: 100, principal: 1000 }] };

describe('daysPastDue', () => {
  it('is 0 before the first installment falls due and on its due date', () => {
    expect(daysPastDue(schedule, [], '2025-02-01')).toBe(0);
    expect(daysPastDue(schedule, [], '2025-02-15')).toBe(0);
  });

  it('is the age in days of the oldest installment not fully paid', () => {
    expect(daysPastDue(schedule, [], '2025-03-20')).toBe(33);
    expect(daysPastDue(schedule, [paidFirst], '2025-03-20')).toBe(5);
  });

  it('counts a partly paid installment as unpaid', () => {
    const partly = { paidOn: '2025-02-20', installments: [{ number: 1, interest: 100, principal: 999 }] };
    expect(daysPastDue(schedule, [partly], '2025-03-01')).toBe(14);
  });

  it('ignores repayments made after the as-of date', () => {
    expect(daysPastDue(schedule, [paidFirst], '2025-02-18')).toBe(3);
  });

  it('counts a repayment made on the as-of date', () => {
    expect(daysPastDue(schedule, [paidFirst], paidFirst.paidOn)).toBe(0);
  });

  it('is 0 once everything is paid', () => {
    const rest = { paidOn: '2025-03-15', installments: [{ number: 2, interest: 100, principal: 1000 }] };
    expect(daysPastDue(schedule, [paidFirst, rest], '2026-01-01')).toBe(0);
  });
});
