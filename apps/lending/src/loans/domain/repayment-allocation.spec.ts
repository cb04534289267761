import fc from 'fast-check';
import { allocateRepayment, amountOwed, applyAllocation, type InstallmentBalance } from './repayment-allocation';

const installment = (
  number: number,
  dueOn: string,
  principal: number,
  interest: number,
  paid: Partial<InstallmentBalance> = {},
): InstallmentBalance => ({
  number,
  dueOn,
  principal,
  interest,
  paidPrincipal: 0,
  paidInterest: 0,
  ...paid,
});
const three = [installment(1, '2025-02-15', 1000, 100), installment(2, '2025-03-15', 1000, 100), installment(3, '2025-04-15', 1000, 100)];

describe('allocateRepayment', () => {
  it('pays the installment due: interest first, then principal', () => {
    expect(allocateRepayment(three, 1100, '2025-02-15')).toEqual({
      interest: 100,
      principal: 1000,
      installments: [{ number: 1, interest: 100, principal: 1000 }],
    });
  });

  it('pays the interest of every overdue installment before any of their principal, oldest first', () => {
    expect(allocateRepayment(three, 700, '2025-03-20')).toEqual({
      interest: 200,
      principal: 500,
      installments: [
        { number: 1, interest: 100, principal: 500 },
        { number: 2, interest: 100, principal: 0 },
      ],
    });
  });

  it('puts a prepayment on the next installments in turn, each interest before principal', () => {
    expect(allocateRepayment(three, 1300, '2025-01-20')).toEqual({
      interest: 200,
      principal: 1100,
      installments: [
        { number: 1, interest: 100, principal: 1000 },
        { number: 2, interest: 100, principal: 100 },
      ],
    });
  });

  it('takes only what is still owed on partly paid installments', () => {
    const partlyPaid = [installment(1, '2025-02-15', 1000, 100, { paidInterest: 100, paidPrincipal: 400 }), ...three.slice(1)];
    expect(allocateRepayment(partlyPaid, 800, '2025-03-15')).toEqual({
      interest: 100,
      principal: 700,
      installments: [
        { number: 1, interest: 0, principal: 600 },
        { number: 2, interest: 100, principal: 100 },
      ],
    });
  });

  it('never allocates more than owed per part, and allocates all of an amount up to what is owed', () => {
    const schedules = fc.array(fc.record({ principal: fc.nat(10_000), interest: fc.nat(2_000), day: fc.integer({ min: 1, max: 28 }) }), {
      minLength: 1,
      maxLength: 24,
    });
    fc.assert(
      fc.property(schedules, fc.nat(400_000), fc.integer({ min: 1, max: 28 }), (rows, wanted, payDay) => {
        const installments = rows.map((r, k) =>
          installment(k + 1, `2025-${String((k % 12) + 1).padStart(2, '0')}-${String(r.day).padStart(2, '0')}`, r.principal, r.interest),
        );
        const amount = Math.min(wanted, amountOwed(installments));
        const result = allocateRepayment(installments, amount, `2025-06-${String(payDay).padStart(2, '0')}`);
        expect(result.interest + result.principal).toBe(amount);
        const after = applyAllocation(installments, result.installments);
        expect(after.every((i) => i.paidPrincipal <= i.principal && i.paidInterest <= i.interest)).toBe(true);
        expect(amountOwed(after)).toBe(amountOwed(installments) - amount);
      }),
    );
  });
});

describe('applyAllocation', () => {
  it('adds each line to its installment and leaves the others alone', () => {
    expect(applyAllocation(three, [{ number: 2, interest: 100, principal: 50 }])).toEqual([
      three[0],
      { ...three[1], paidInterest: 100, paidPrincipal: 50 },
      three[2],
    ]);
  });
});
