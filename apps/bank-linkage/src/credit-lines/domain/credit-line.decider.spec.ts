import fc from 'fast-check';
import type { CreditBorrower } from '@sangam/contracts';
import { fold } from '@sangam/domain';
import { deciderSpec } from '@sangam/testing';
import {
  available,
  creditLineDecider,
  interestDue,
  recordedUnder,
  type CreditLineCommand,
  type SanctionedLine,
} from './credit-line.decider';
import { CREDIT_LINE_STREAM_TYPE, type CreditLineEvent } from './credit-line.events';

const creditLineId = '0b8f7f4e-3a6c-4d0e-9c55-8f0c2b7d1a01';
const bankId = '7d1c7a58-5f0e-4c4e-9a39-0c3d3f1e0a11';
const otherBankId = '5e0b9c3a-1d2f-4a6b-8c7d-9e0f1a2b3c4d';
const network = { type: 'network' as const, id: '2c9e4b1a-7f3d-4e5c-8a9b-0c1d2e3f4a5b' };
const loanId = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
const spec = deciderSpec(creditLineDecider);

const terms = {
  creditLineId,
  bankId,
  borrower: network as CreditBorrower,
  limit: 5_000_000,
  annualInterestRateBps: 900,
  sanctionedOn: '2005-07-01',
  expiresOn: '2006-06-30',
};
const sanctioned: CreditLineEvent = { type: 'CreditLineSanctioned', data: terms };
const sanction = (
  maxSavingsMultiple: number,
  borrowerSavings: bigint | null,
  overrides: Partial<typeof terms> = {},
  openLimits = 0n,
): CreditLineCommand => ({
  type: 'SanctionCreditLine',
  data: {
    ...terms,
    ...overrides,
    drawingPower: { maxSavingsMultiple, borrowerSavings, openLimits },
  },
});

type Drawn = Extract<CreditLineEvent, { type: 'CreditDrawn' }>;

const drawn = (amount: number, bankReference: string | null = null, drawdownId = 'd-1'): Drawn => ({
  type: 'CreditDrawn',
  data: { creditLineId, drawdownId, amount, drawnOn: '2005-07-10', purpose: 'Rice mill', loanId: null, bankReference },
});
const charged = (amount: number, bankReference: string | null = null): CreditLineEvent => ({
  type: 'InterestCharged',
  data: { creditLineId, amount, chargedOn: '2005-09-30', bankReference },
});
const repaid = (amount: number, interest: number, bankReference: string | null = null): CreditLineEvent => ({
  type: 'CreditRepaid',
  data: {
    creditLineId,
    repaymentId: 'r-1',
    amount,
    repaidOn: '2005-10-15',
    allocation: { interest, principal: amount - interest },
    bankReference,
  },
});

const draw = (amount: number, overrides: Partial<Extract<CreditLineCommand, { type: 'DrawCredit' }>['data']> = {}): CreditLineCommand => ({
  type: 'DrawCredit',
  data: {
    creditLineId,
    drawdownId: 'd-1',
    amount,
    drawnOn: '2005-07-10',
    purpose: 'Rice mill',
    bankReference: null,
    loan: null,
    ...overrides,
  },
});
const repay = (
  amount: number,
  overrides: Partial<Extract<CreditLineCommand, { type: 'RepayCredit' }>['data']> = {},
): CreditLineCommand => ({
  type: 'RepayCredit',
  data: { creditLineId, repaymentId: 'r-1', amount, repaidOn: '2005-10-15', bankReference: null, ...overrides },
});
const chargeInterest = (
  amount: number,
  overrides: Partial<Extract<CreditLineCommand, { type: 'ChargeInterest' }>['data']> = {},
): CreditLineCommand => ({
  type: 'ChargeInterest',
  data: { creditLineId, amount, chargedOn: '2005-09-30', bankReference: null, ...overrides },
});

const stateAfter = (events: CreditLineEvent[]) =>
  fold(creditLineDecider.evolve, creditLineDecider.initialState(), events) as SanctionedLine;

describe('credit line decider', () => {
  describe('sanctioning', () => {
    it('sanctions a line up to the multiple of the network common fund', () => {
      spec.given([]).when(sanction(4, 1_250_000n)).then([sanctioned]);
    });

    it('refuses a limit above the multiple of the borrower savings with limit_exceeds_drawing_power', () => {
      spec.given([]).when(sanction(4, 1_249_999n)).thenThrows('limit_exceeds_drawing_power');
    });

    it("caps the limits of all the bank's open lines to the borrower together", () => {
      spec
        .given([])
        .when(sanction(4, 1_250_000n, {}, 0n))
        .then([sanctioned]);
      spec
        .given([])
        .when(sanction(4, 2_500_000n, {}, 5_000_000n))
        .then([sanctioned]);
      spec
        .given([])
        .when(sanction(4, 2_500_000n, {}, 5_000_001n))
        .thenThrows('limit_exceeds_drawing_power');
    });

    it('applies no cap when the bank multiple is 0', () => {
      spec.given([]).when(sanction(0, 0n)).then([sanctioned]);
    });

    it('answers not_found for a borrower groups never told of, network or SHG', () => {
      spec.given([]).when(sanction(0, null)).thenThrows('not_found');
      spec
        .given([])
        .when(sanction(0, null, { borrower: { type: 'shg', id: '3d4e5f6a-7b8c-4d9e-8f0a-1b2c3d4e5f6a' } }))
        .thenThrows('not_found');
    });

    it('refuses an expiry that is not after the sanction date', () => {
      spec
        .given([])
        .when(sanction(0, 0n, { expiresOn: '2005-07-01' }))
        .thenThrows('validation_failed', { fields: ['expiresOn'] });
    });

    it('refuses to sanction the same line twice', () => {
      spec.given([sanctioned]).when(sanction(0, 0n)).thenThrows('conflict');
    });
  });

  describe('drawing', () => {
    it('draws within the available credit', () => {
      spec
        .given([sanctioned, drawn(3_000_000)])
        .when(draw(2_000_000))
        .then([drawn(2_000_000)]);
    });

    it('refuses more than the available credit with insufficient_credit', () => {
      spec
        .given([sanctioned, drawn(3_000_000)])
        .when(draw(2_000_001))
        .thenThrows('insufficient_credit');
    });

    it('draws on the expiry date but refuses the day after with credit_line_expired', () => {
      spec
        .given([sanctioned])
        .when(draw(100, { drawnOn: '2006-06-30' }))
        .then([{ ...drawn(100), data: { ...drawn(100).data, drawnOn: '2006-06-30' } }]);
      spec
        .given([sanctioned])
        .when(draw(100, { drawnOn: '2006-07-01' }))
        .thenThrows('credit_line_expired');
    });

    it('answers not_found for an unknown line', () => {
      spec.given([]).when(draw(100)).thenThrows('not_found');
    });

    it('answers not_found when another bank reports on the line', () => {
      spec
        .given([sanctioned])
        .when(draw(100, { reportingBankId: otherBankId }))
        .thenThrows('not_found');
    });

    it('accepts a report from the bank that sanctioned the line', () => {
      spec
        .given([sanctioned])
        .when(draw(100, { reportingBankId: bankId }))
        .then([drawn(100)]);
    });

    it('refuses an amount that is not a positive integer of paise', () => {
      spec
        .given([sanctioned])
        .when(draw(0))
        .thenThrows('validation_failed', { fields: ['amount'] });
      spec
        .given([sanctioned])
        .when(draw(10.5))
        .thenThrows('validation_failed', { fields: ['amount'] });
    });

    it('records a drawdown once per bank reference', () => {
      spec
        .given([sanctioned, drawn(500, 'UTR1')])
        .when(draw(500, { bankReference: 'UTR1', drawdownId: 'd-2' }))
        .then([]);
    });

    it('takes a bank reference that names an Object property as plain text', () => {
      spec
        .given([sanctioned])
        .when(draw(500, { bankReference: 'constructor' }))
        .then([drawn(500, 'constructor')]);
      spec
        .given([sanctioned, drawn(500, '__proto__')])
        .when(draw(500, { bankReference: '__proto__' }))
        .then([]);
    });

    it('leaves a state folded earlier as it was when later facts are folded onto it (kept states are shared)', () => {
      const earlier = stateAfter([sanctioned, drawn(500, 'UTR1')]);
      const later = creditLineDecider.evolve(earlier, charged(70, 'UTR2')) as SanctionedLine;
      expect(recordedUnder(later, 'UTR2', 'interest')).toEqual({ kind: 'interest', amount: 70 });
      expect(recordedUnder(earlier, 'UTR2', 'interest')).toBeUndefined();
      spec
        .given([sanctioned, drawn(500, 'UTR1')])
        .when(chargeInterest(70, { bankReference: 'UTR2' }))
        .then([charged(70, 'UTR2')]);
    });

    it('refuses a different drawdown under a bank reference already used', () => {
      spec
        .given([sanctioned, drawn(500, 'UTR1')])
        .when(draw(600, { bankReference: 'UTR1' }))
        .thenThrows('conflict');
      spec
        .given([sanctioned, charged(500, 'UTR1')])
        .when(draw(500, { bankReference: 'UTR1' }))
        .thenThrows('conflict');
    });

    it('draws for a loan of the line holder and names the loan', () => {
      spec
        .given([sanctioned])
        .when(draw(1_000, { loan: { id: loanId, lender: network } }))
        .then([{ type: 'CreditDrawn', data: { ...drawn(1_000).data, loanId } }]);
    });

    it('draws for a loan only once', () => {
      const forLoan: Drawn = { type: 'CreditDrawn', data: { ...drawn(1_000).data, loanId } };
      spec
        .given([sanctioned, forLoan])
        .when(draw(1_000, { drawdownId: 'd-2', loan: { id: loanId, lender: network } }))
        .then([]);
    });

    it('refuses to fund the loan of a lender that does not hold the line', () => {
      const otherLender = { type: 'shg' as const, id: '3d4e5f6a-7b8c-4d9e-8f0a-1b2c3d4e5f6a' };
      spec
        .given([sanctioned])
        .when(draw(1_000, { loan: { id: loanId, lender: otherLender } }))
        .thenThrows('credit_line_not_held_by_lender');
    });

    it('refuses a lender that shares only the type or only the id of the line holder', () => {
      const anotherNetwork = { type: 'network' as const, id: '6f7a8b9c-0d1e-4f2a-8b3c-4d5e6f7a8b9c' };
      const anShgWithTheNetworksId = { type: 'shg' as const, id: network.id };
      spec
        .given([sanctioned])
        .when(draw(1_000, { loan: { id: loanId, lender: anotherNetwork } }))
        .thenThrows('credit_line_not_held_by_lender');
      spec
        .given([sanctioned])
        .when(draw(1_000, { loan: { id: loanId, lender: anShgWithTheNetworksId } }))
        .thenThrows('credit_line_not_held_by_lender');
    });
  });

  describe("settling a drawdown recorded without the bank's reference", () => {
    const forLoan: Drawn = { type: 'CreditDrawn', data: { ...drawn(1_000).data, loanId } };
    const settled = (drawdownId: string, bankReference = 'UTR9'): CreditLineEvent => ({
      type: 'CreditDrawSettled',
      data: { creditLineId, drawdownId, bankReference, settledOn: '2005-07-11' },
    });
    const notice = (amount: number, bankReference = 'UTR9') =>
      draw(amount, { drawdownId: 'd-9', drawnOn: '2005-07-11', bankReference, reportingBankId: bankId });

    it("settles the loan's drawdown when the bank reports it, drawing nothing more", () => {
      spec
        .given([sanctioned, forLoan])
        .when(notice(1_000))
        .then([settled('d-1')]);
      expect(stateAfter([sanctioned, forLoan, settled('d-1')]).drawnPrincipal).toBe(1_000);
    });

    it('settles the oldest unreferenced drawdown of that amount first, then the next', () => {
      const second = drawn(1_000, null, 'd-2');
      spec
        .given([sanctioned, forLoan, second])
        .when(notice(1_000))
        .then([settled('d-1')]);
      spec
        .given([sanctioned, forLoan, second, settled('d-1')])
        .when(notice(1_000, 'UTR10'))
        .then([settled('d-2', 'UTR10')]);
    });

    it('answers the same notice again with nothing new', () => {
      spec
        .given([sanctioned, forLoan, settled('d-1')])
        .when(notice(1_000))
        .then([]);
    });

    it('draws anew when no unreferenced drawdown matches the amount, or it was drawn after the value date', () => {
      spec
        .given([sanctioned, forLoan])
        .when(notice(999))
        .then([{ type: 'CreditDrawn', data: { ...drawn(999, 'UTR9', 'd-9').data, drawnOn: '2005-07-11' } }]);
      const later: Drawn = { type: 'CreditDrawn', data: { ...forLoan.data, drawnOn: '2005-07-12' } };
      spec
        .given([sanctioned, later])
        .when(notice(1_000))
        .then([{ type: 'CreditDrawn', data: { ...drawn(1_000, 'UTR9', 'd-9').data, drawnOn: '2005-07-11' } }]);
    });

    it('never settles a drawdown that already carries a reference, nor one settled before', () => {
      spec
        .given([sanctioned, drawn(1_000, 'UTR1')])
        .when(notice(1_000))
        .then([{ type: 'CreditDrawn', data: { ...drawn(1_000, 'UTR9', 'd-9').data, drawnOn: '2005-07-11' } }]);
      spec
        .given([sanctioned, forLoan, settled('d-1')])
        .when(notice(1_000, 'UTR10'))
        .then([{ type: 'CreditDrawn', data: { ...drawn(1_000, 'UTR10', 'd-9').data, drawnOn: '2005-07-11' } }]);
    });

    it('records a drawdown made through the API with no reference as settled, not twice', () => {
      spec
        .given([sanctioned, drawn(1_000)])
        .when(notice(1_000))
        .then([settled('d-1')]);
    });

    it('settles a drawdown the bank values on the day it was drawn', () => {
      const drawnOn = forLoan.data.drawnOn;
      spec
        .given([sanctioned, forLoan])
        .when(draw(1_000, { drawdownId: 'd-9', drawnOn, bankReference: 'UTR9', reportingBankId: bankId }))
        .then([{ ...settled('d-1'), data: { ...settled('d-1').data, settledOn: drawnOn } } as CreditLineEvent]);
    });

    it('takes a second drawdown of the same amount through the API as a drawdown of its own, with or without a reference', () => {
      const secondDrawdown = { drawdownId: 'd-2' };
      spec
        .given([sanctioned, drawn(1_000)])
        .when(draw(1_000, secondDrawdown))
        .then([drawn(1_000, null, 'd-2')]);
      spec
        .given([sanctioned, drawn(1_000)])
        .when(draw(1_000, { ...secondDrawdown, bankReference: 'UTR5' }))
        .then([drawn(1_000, 'UTR5', 'd-2')]);
    });

    it('settles nothing on a bank report that carries no reference of the bank', () => {
      spec
        .given([sanctioned, drawn(1_000)])
        .when(draw(1_000, { drawdownId: 'd-2', reportingBankId: bankId, bankReference: null }))
        .then([drawn(1_000, null, 'd-2')]);
    });

    it('settles the drawdown the notice matched, leaving older ones of other amounts to their own notices', () => {
      const small = drawn(1_000, null, 'd-1');
      const large = drawn(2_000, null, 'd-2');
      spec
        .given([sanctioned, small, large])
        .when(notice(2_000))
        .then([settled('d-2')]);
      spec
        .given([sanctioned, small, large, settled('d-2')])
        .when(notice(1_000, 'UTR10'))
        .then([settled('d-1', 'UTR10')]);
      expect(recordedUnder(stateAfter([sanctioned, small, large, settled('d-2')]), 'UTR9', 'drawdown')).toEqual({
        kind: 'drawdown',
        amount: 2_000,
        drawdownId: 'd-2',
      });
    });

    it('answers a later API call with the settled reference as the same drawdown', () => {
      spec
        .given([sanctioned, forLoan, settled('d-1')])
        .when(draw(1_000, { bankReference: 'UTR9', drawdownId: 'd-3' }))
        .then([]);
      expect(recordedUnder(stateAfter([sanctioned, forLoan, settled('d-1')]), 'UTR9', 'drawdown')).toEqual({
        kind: 'drawdown',
        amount: 1_000,
        drawdownId: 'd-1',
      });
    });
  });

  describe('interest', () => {
    it('records interest the bank charged', () => {
      spec
        .given([sanctioned, drawn(1_000)])
        .when(chargeInterest(25))
        .then([charged(25)]);
    });

    it('records charged interest once per bank reference', () => {
      spec
        .given([sanctioned, charged(25, 'INT1')])
        .when(chargeInterest(25, { bankReference: 'INT1' }))
        .then([]);
    });

    it('answers not_found for an unknown line', () => {
      spec.given([]).when(chargeInterest(25)).thenThrows('not_found');
    });
  });

  describe('repaying', () => {
    it('pays charged interest first, then principal', () => {
      spec
        .given([sanctioned, drawn(1_000), charged(30)])
        .when(repay(500))
        .then([repaid(500, 30)]);
    });

    it('accepts exactly what is owed', () => {
      spec
        .given([sanctioned, drawn(1_000), charged(30)])
        .when(repay(1_030))
        .then([repaid(1_030, 30)]);
    });

    it('refuses more than is owed with credit_overpayment', () => {
      spec
        .given([sanctioned, drawn(1_000), charged(30)])
        .when(repay(1_031))
        .thenThrows('credit_overpayment');
      spec.given([sanctioned]).when(repay(1)).thenThrows('credit_overpayment');
    });

    it('records a repayment once per bank reference', () => {
      spec
        .given([sanctioned, drawn(1_000), repaid(500, 0, 'UTR9')])
        .when(repay(500, { bankReference: 'UTR9', repaymentId: 'r-2' }))
        .then([]);
    });

    it('answers not_found for an unknown line', () => {
      spec.given([]).when(repay(1)).thenThrows('not_found');
    });

    it('makes repaid principal available again', () => {
      const line = stateAfter([sanctioned, drawn(5_000_000), charged(40_000), repaid(1_040_000, 40_000)]);
      expect(available(line)).toBe(1_000_000);
      expect(interestDue(line)).toBe(0);
      expect(line.interestPaid).toBe(40_000n);
    });
  });

  describe('dates in order', () => {
    it('draws on the day the line was sanctioned, not before, with date_out_of_order, from the API, a bank notice or a loan', () => {
      spec
        .given([sanctioned])
        .when(draw(100, { drawnOn: '2005-07-01' }))
        .then([{ ...drawn(100), data: { ...drawn(100).data, drawnOn: '2005-07-01' } }]);
      spec
        .given([sanctioned])
        .when(draw(100, { drawnOn: '2005-06-30' }))
        .thenThrows('date_out_of_order', { fields: ['drawnOn'] });
      spec
        .given([sanctioned])
        .when(draw(100, { drawnOn: '2005-06-30', bankReference: 'UTR1', reportingBankId: bankId }))
        .thenThrows('date_out_of_order', { fields: ['drawnOn'] });
      spec
        .given([sanctioned])
        .when(draw(100, { drawnOn: '2005-06-30', loan: { id: loanId, lender: network } }))
        .thenThrows('date_out_of_order', { fields: ['drawnOn'] });
    });

    it('refuses interest charged before the line was sanctioned with date_out_of_order', () => {
      spec
        .given([sanctioned])
        .when(chargeInterest(25, { chargedOn: '2005-07-01' }))
        .then([{ ...charged(25), data: { ...(charged(25).data as object), chargedOn: '2005-07-01' } } as CreditLineEvent]);
      spec
        .given([sanctioned])
        .when(chargeInterest(25, { chargedOn: '2005-06-30' }))
        .thenThrows('date_out_of_order', { fields: ['chargedOn'] });
    });

    it('refuses a repayment of principal dated before the first drawdown with date_out_of_order', () => {
      spec
        .given([sanctioned, drawn(1_000)])
        .when(repay(500, { repaidOn: '2005-07-10' }))
        .then([{ ...repaid(500, 0), data: { ...(repaid(500, 0).data as object), repaidOn: '2005-07-10' } } as CreditLineEvent]);
      spec
        .given([sanctioned, drawn(1_000)])
        .when(repay(500, { repaidOn: '2005-07-09' }))
        .thenThrows('date_out_of_order', { fields: ['repaidOn'] });
    });

    it('compares with the earliest drawdown, whatever the order they were recorded in', () => {
      const earlier: Drawn = { type: 'CreditDrawn', data: { ...drawn(200, null, 'd-0').data, drawnOn: '2005-07-05' } };
      spec
        .given([sanctioned, drawn(1_000), earlier])
        .when(repay(500, { repaidOn: '2005-07-05' }))
        .then([expect.objectContaining({ type: 'CreditRepaid' }) as CreditLineEvent]);
      spec
        .given([sanctioned, drawn(1_000), earlier])
        .when(repay(500, { repaidOn: '2005-07-04' }))
        .thenThrows('date_out_of_order', { fields: ['repaidOn'] });
    });

    it('refuses a repayment of interest dated before the first charge with date_out_of_order', () => {
      spec
        .given([sanctioned, charged(30)])
        .when(repay(30, { repaidOn: '2005-09-30' }))
        .then([expect.objectContaining({ type: 'CreditRepaid' }) as CreditLineEvent]);
      spec
        .given([sanctioned, charged(30)])
        .when(repay(30, { repaidOn: '2005-09-29' }))
        .thenThrows('date_out_of_order', { fields: ['repaidOn'] });
    });
    it('dates a repayment that pays only interest by the first charge alone, not by a later drawdown', () => {
      const laterDrawdown: Drawn = { type: 'CreditDrawn', data: { ...drawn(1_000).data, drawnOn: '2005-10-20' } };
      spec
        .given([sanctioned, charged(30), laterDrawdown])
        .when(repay(30, { repaidOn: '2005-10-15' }))
        .then([repaid(30, 30)]);
    });

    it('dates a repayment that pays only principal by the first drawdown alone, not by a charge whose interest is paid', () => {
      spec
        .given([sanctioned, drawn(1_000), charged(30), repaid(30, 30)])
        .when(repay(500, { repaymentId: 'r-2', repaidOn: '2005-08-01' }))
        .then([
          {
            type: 'CreditRepaid',
            data: {
              creditLineId,
              repaymentId: 'r-2',
              amount: 500,
              repaidOn: '2005-08-01',
              allocation: { interest: 0, principal: 500 },
              bankReference: null,
            },
          },
        ]);
    });
  });

  describe('sums the API can state exactly (2^53 - 1 paise)', () => {
    const MAX = Number.MAX_SAFE_INTEGER;
    const E12 = 1_000_000_000_000;
    /** Interest charges of 1e12 paise, repeated until the line has been charged `total`. */
    const chargedUpTo = (total: number): CreditLineEvent[] => {
      const events: CreditLineEvent[] = [sanctioned];
      for (let left = total; left > 0; left -= Math.min(left, E12)) events.push(charged(Math.min(left, E12)));
      return events;
    };

    it('records interest charged up to the last paisa the line can state, and refuses more with amount_too_large', () => {
      const history = chargedUpTo(MAX - E12);
      spec
        .given(history)
        .when(chargeInterest(E12))
        .then([charged(E12)]);
      spec
        .given(history)
        .when(chargeInterest(E12 + 1))
        .thenThrows('amount_too_large');
    });

    it('counts interest already paid in what was charged: paying does not make room', () => {
      const history = [...chargedUpTo(MAX - E12), drawn(1_000), repaid(E12, E12)];
      spec
        .given(history)
        .when(chargeInterest(E12 + 1))
        .thenThrows('amount_too_large');
    });
  });

  it('finds what was recorded under a bank reference, of the kind asked for', () => {
    const line = stateAfter([sanctioned, drawn(700, 'UTR1', 'd-7'), repaid(200, 0, 'UTR2')]);
    expect(recordedUnder(line, 'UTR1', 'drawdown')).toEqual({ kind: 'drawdown', amount: 700, drawdownId: 'd-7' });
    expect(recordedUnder(line, 'UTR2', 'repayment')).toMatchObject({ repaymentId: 'r-1', allocation: { interest: 0, principal: 200 } });
    expect(recordedUnder(line, 'UTR1', 'repayment')).toBeUndefined();
    expect(recordedUnder(line, null, 'drawdown')).toBeUndefined();
  });

  it('keeps drawn principal within the limit and paid interest within charged interest, whatever the order of commands', () => {
    const command = fc.oneof(
      fc.integer({ min: 1, max: 6_000_000 }).map((amount) => draw(amount)),
      fc.integer({ min: 1, max: 100_000 }).map((amount) => chargeInterest(amount)),
      fc.integer({ min: 1, max: 6_000_000 }).map((amount) => repay(amount)),
    );
    fc.assert(
      fc.property(fc.array(command, { maxLength: 40 }), (commands) => {
        let state = stateAfter([sanctioned]);
        for (const next of commands) {
          try {
            state = creditLineDecider.decide(next, state).reduce(creditLineDecider.evolve, state) as SanctionedLine;
          } catch {
            // a refused command changes nothing
          }
          expect(state.drawnPrincipal).toBeGreaterThanOrEqual(0);
          expect(available(state)).toBeGreaterThanOrEqual(0);
          expect(state.interestPaid).toBeLessThanOrEqual(state.interestCharged);
        }
      }),
    );
  });
});

it('keeps its events in streams of type "credit-line", the type stored with each of them (another name would part old streams from new)', () => {
  expect(CREDIT_LINE_STREAM_TYPE).toBe('credit-line');
});
