import { fold } from '@sangam/domain';
import { deciderSpec } from '@sangam/testing';
import { daysPastDue } from './days-past-due';
import { isFundedFromCommonFund, loanDecider, type Loan, type LoanCommand } from './loan.decider';
import { LOAN_STREAM_TYPE, type LoanAppliedData, type LoanEvent } from './loan.events';
import { buildSchedule } from './schedule';

const spec = deciderSpec(loanDecider);
const loanId = 'loan-1';
const networkId = 'network-1';
const creditLineId = 'line-1';
/** Four eyes: the approver is never the field officer who recorded the application. */
const approver = 'approver-1';

const fromFund: LoanAppliedData = {
  loanId,
  lender: { type: 'network', id: networkId },
  borrower: { type: 'shg', id: 'shg-1' },
  networkId,
  principal: 1_000_000,
  annualInterestRateBps: 1200,
  termMonths: 12,
  interestMethod: 'flat',
  purpose: 'traditional products',
  funding: { source: 'common-fund', creditLineId: null },
  appliedAt: '2025-01-02T10:00:00.000Z',
  appliedBy: 'field-officer-1',
};
const fromCreditLine: LoanAppliedData = { ...fromFund, purpose: 'goat farming', funding: { source: 'credit-line', creditLineId } };
const fromSavings: LoanAppliedData = {
  ...fromFund,
  lender: { type: 'shg', id: 'shg-1' },
  borrower: { type: 'member', id: 'member-1' },
  funding: { source: 'shg-savings', creditLineId: null },
};

const apply = (data: LoanAppliedData, borrowerBelongsToLender = true): LoanCommand => ({
  type: 'ApplyForLoan',
  data: { ...data, borrowerBelongsToLender },
});
const applied = (data: LoanAppliedData = fromFund): LoanEvent => ({ type: 'LoanApplied', data });
const approved: LoanEvent = { type: 'LoanApproved', data: { loanId, approvedOn: '2025-01-10' } };
/** Built inside the tests that use it: a broken schedule then fails those tests instead of the whole file. */
const scheduleOn = (disbursedOn: string) => buildSchedule({ ...fromFund, disbursedOn });
const disbursed = (terms: LoanAppliedData = fromFund, drawdownId: string | null = null): LoanEvent => ({
  type: 'LoanDisbursed',
  data: {
    loanId,
    lender: terms.lender,
    borrower: terms.borrower,
    networkId,
    principal: 1_000_000,
    disbursedOn: '2025-01-15',
    funding: { ...terms.funding, drawdownId },
    interestMethod: 'flat',
    annualInterestRateBps: 1200,
    termMonths: 12,
    schedule: scheduleOn('2025-01-15'),
  },
});
const requested: LoanEvent = {
  type: 'LoanDisbursementRequested',
  data: {
    loanId,
    fundingSource: 'credit-line',
    creditLineId,
    amount: 1_000_000,
    borrower: fromFund.borrower,
    lender: fromFund.lender,
    purpose: 'goat farming',
    requestedOn: '2025-01-15',
  },
};
const savingsRequested: LoanEvent = {
  type: 'LoanDisbursementRequested',
  data: {
    loanId,
    fundingSource: 'shg-savings',
    creditLineId: null,
    amount: 1_000_000,
    borrower: fromSavings.borrower,
    lender: fromSavings.lender,
    purpose: 'traditional products',
    requestedOn: '2025-01-15',
  },
};
const disburse = (availableFunds?: bigint, disbursedOn = '2025-01-15'): LoanCommand => ({
  type: 'DisburseLoan',
  data: { loanId, disbursedOn, by: approver, availableFunds },
});
const repay = (amount: number, paidOn = '2025-02-15', repaymentId = 'r-1'): LoanCommand => ({
  type: 'RecordRepayment',
  data: { loanId, repaymentId, amount, paidOn },
});
const repaid = (
  amount: number,
  installments: { number: number; interest: number; principal: number }[],
  outstandingPrincipal: number,
  paidOn = '2025-02-15',
  repaymentId = 'r-1',
): LoanEvent => ({
  type: 'RepaymentReceived',
  data: {
    loanId,
    repaymentId,
    lender: fromFund.lender,
    borrower: fromFund.borrower,
    networkId,
    fundingSource: 'common-fund',
    amount,
    paidOn,
    allocation: {
      interest: installments.reduce((s, l) => s + l.interest, 0),
      principal: installments.reduce((s, l) => s + l.principal, 0),
    },
    installments,
    outstandingPrincipal,
  },
});
const drawn: LoanCommand = { type: 'RecordFunded', data: { loanId, source: 'credit-line', creditLineId, drawdownId: 'draw-1' } };
const drawRejected: LoanCommand = {
  type: 'RecordFundingRefused',
  data: { loanId, source: 'credit-line', creditLineId, reason: 'insufficient_credit', refusedOn: '2025-01-15' },
};
const savingsLent: LoanCommand = { type: 'RecordFunded', data: { loanId, source: 'shg-savings', creditLineId: null, drawdownId: null } };
const savingsRefused: LoanCommand = {
  type: 'RecordFundingRefused',
  data: { loanId, source: 'shg-savings', creditLineId: null, reason: 'insufficient_savings', refusedOn: '2025-01-15' },
};
const fundingFailed: LoanEvent = {
  type: 'LoanFundingFailed',
  data: { loanId, creditLineId, amount: 1_000_000, reason: 'insufficient_credit', failedOn: '2025-01-15' },
};

describe('applying for a loan', () => {
  it.each([
    ['a network to its member SHG from the common fund', fromFund],
    ['a network to its member SHG from a credit line', fromCreditLine],
    ['an SHG to its member from its savings', fromSavings],
    [
      'an SHG to its member from its own credit line',
      { ...fromSavings, funding: { source: 'credit-line', creditLineId } } satisfies LoanAppliedData,
    ],
  ])('records the application of %s', (_, data) => {
    spec
      .given([])
      .when(apply(data))
      .then([applied(data)]);
  });

  it('refuses a borrower SHG outside the lending network', () => {
    spec.given([]).when(apply(fromFund, false)).thenThrows('borrower_not_in_network');
  });

  it('refuses a network loan to an individual member', () => {
    spec
      .given([])
      .when(apply({ ...fromFund, borrower: { type: 'member', id: 'member-1' } }))
      .thenThrows('borrower_not_in_network');
  });

  it('refuses an SHG loan to someone who is not its member', () => {
    spec.given([]).when(apply(fromSavings, false)).thenThrows('borrower_not_in_shg');
  });

  it('refuses an SHG loan to another SHG', () => {
    spec
      .given([])
      .when(apply({ ...fromSavings, borrower: { type: 'shg', id: 'shg-2' } }))
      .thenThrows('borrower_not_in_shg');
  });

  it.each([
    ['a network lending from SHG savings', { ...fromFund, funding: { source: 'shg-savings', creditLineId: null } }, 'funding.source'],
    ['an SHG lending from a common fund', { ...fromSavings, funding: { source: 'common-fund', creditLineId: null } }, 'funding.source'],
    ['a credit line without its id', { ...fromFund, funding: { source: 'credit-line', creditLineId: null } }, 'funding.creditLineId'],
    ['a credit-line id on common-fund funding', { ...fromFund, funding: { source: 'common-fund', creditLineId } }, 'funding.creditLineId'],
  ] as [string, LoanAppliedData, string][])('rejects %s as invalid, naming the field', (_, data, field) => {
    spec
      .given([])
      .when(apply(data))
      .thenThrows('validation_failed', { fields: [field] });
  });

  it('does not apply twice for the same loan id', () => {
    spec.given([applied()]).when(apply(fromFund)).thenThrows('conflict');
  });
});

describe('approving and rejecting', () => {
  it('approves an applied loan', () => {
    spec
      .given([applied()])
      .when({ type: 'ApproveLoan', data: { loanId, approvedOn: '2025-01-10', by: approver } })
      .then([approved]);
  });

  it('rejects an applied loan with the reason', () => {
    spec
      .given([applied()])
      .when({ type: 'RejectLoan', data: { loanId, reason: 'no business plan', rejectedAt: '2025-01-03T09:00:00.000Z', by: approver } })
      .then([{ type: 'LoanRejected', data: { loanId, reason: 'no business plan', rejectedAt: '2025-01-03T09:00:00.000Z' } }]);
  });

  it('never lets the user who recorded the application approve, reject or disburse it (four eyes)', () => {
    const applicant = fromFund.appliedBy!;
    spec
      .given([applied()])
      .when({ type: 'ApproveLoan', data: { loanId, approvedOn: '2025-01-10', by: applicant } })
      .thenThrows('forbidden');
    spec
      .given([applied()])
      .when({ type: 'RejectLoan', data: { loanId, reason: 'x', rejectedAt: '2025-01-03T09:00:00.000Z', by: applicant } })
      .thenThrows('forbidden');
    spec
      .given([applied(), approved])
      .when({ type: 'DisburseLoan', data: { loanId, disbursedOn: '2025-01-15', by: applicant, availableFunds: 1_000_000n } })
      .thenThrows('forbidden');
  });

  it('lets anyone approve an application recorded before applicants were kept', () => {
    const { appliedBy: _, ...unattributed } = fromFund;
    spec
      .given([applied(unattributed)])
      .when({ type: 'ApproveLoan', data: { loanId, approvedOn: '2025-01-10', by: fromFund.appliedBy! } })
      .then([approved]);
  });

  it('rejects an approved loan that cannot be funded, but nothing later', () => {
    const rejection = (at: string): LoanCommand => ({
      type: 'RejectLoan',
      data: { loanId, reason: 'no funds', rejectedAt: at, by: approver },
    });
    spec
      .given([applied(), approved])
      .when(rejection('2025-01-12T09:00:00.000Z'))
      .then([{ type: 'LoanRejected', data: { loanId, reason: 'no funds', rejectedAt: '2025-01-12T09:00:00.000Z' } }]);
    spec
      .given([applied(fromCreditLine), approved, requested])
      .when(rejection('2025-01-16T09:00:00.000Z'))
      .thenThrows('conflict');
    spec.given([applied(), approved, disbursed()]).when(rejection('2025-01-16T09:00:00.000Z')).thenThrows('conflict');
  });

  it('answers not_found for a loan that does not exist', () => {
    spec
      .given([])
      .when({ type: 'ApproveLoan', data: { loanId, approvedOn: '2025-01-10', by: approver } })
      .thenThrows('not_found');
  });

  it('does not approve twice', () => {
    spec
      .given([applied(), approved])
      .when({ type: 'ApproveLoan', data: { loanId, approvedOn: '2025-01-11', by: approver } })
      .thenThrows('conflict');
  });
});

describe("disbursing from the lender's own funds", () => {
  it('disburses at once with the schedule when the funds cover the principal', () => {
    spec.given([applied(), approved]).when(disburse(1_000_000n)).then([disbursed()]);
  });

  it('refuses when the available funds are short of the principal', () => {
    spec.given([applied(), approved]).when(disburse(999_999n)).thenThrows('insufficient_funds');
  });

  it('refuses a loan that is not approved', () => {
    spec.given([applied()]).when(disburse(5_000_000n)).thenThrows('conflict');
    spec.given([applied(), approved, disbursed()]).when(disburse(5_000_000n)).thenThrows('conflict');
  });

  it('refuses a disbursement dated before the approval with date_out_of_order', () => {
    spec
      .given([applied(), approved])
      .when(disburse(5_000_000n, '2025-01-09'))
      .thenThrows('date_out_of_order', { fields: ['disbursedOn'] });
  });

  it('disburses on the day of the approval, the schedule counted from that day', () => {
    const approvalDay = '2025-01-10';
    const onApprovalDay = disbursed() as Extract<LoanEvent, { type: 'LoanDisbursed' }>;
    spec
      .given([applied(), approved])
      .when(disburse(1_000_000n, approvalDay))
      .then([{ ...onApprovalDay, data: { ...onApprovalDay.data, disbursedOn: approvalDay, schedule: scheduleOn(approvalDay) } }]);
  });

  it("looks up lending's own view of the funds only for loans from a network's common fund", () => {
    const loanFrom = (terms: LoanAppliedData) => fold(loanDecider.evolve, loanDecider.initialState(), [applied(terms)]) as Loan;
    expect(isFundedFromCommonFund(loanFrom(fromFund))).toBe(true);
    expect(isFundedFromCommonFund(loanFrom(fromSavings))).toBe(false);
    expect(isFundedFromCommonFund(loanFrom(fromCreditLine))).toBe(false);
  });

  it('answers not_found for a loan that does not exist', () => {
    spec.given([]).when(disburse(5_000_000n)).thenThrows('not_found');
  });
});

describe('disbursing from a credit line (the saga)', () => {
  it("asks bank-linkage to draw, whatever the lender's own funds", () => {
    spec
      .given([applied(fromCreditLine), approved])
      .when(disburse(undefined))
      .then([requested]);
  });

  it('becomes disbursed when the draw happened, dated as requested', () => {
    spec
      .given([applied(fromCreditLine), approved, requested])
      .when(drawn)
      .then([disbursed(fromCreditLine, 'draw-1')]);
  });

  it('fails funding with the bank-linkage reason when the draw was rejected', () => {
    spec
      .given([applied(fromCreditLine), approved, requested])
      .when(drawRejected)
      .then([fundingFailed]);
  });

  it('ignores a second answer, whichever it is', () => {
    const afterDraw = [applied(fromCreditLine), approved, requested, disbursed(fromCreditLine, 'draw-1')];
    spec.given(afterDraw).when(drawn).then([]);
    spec.given(afterDraw).when(drawRejected).then([]);
    spec
      .given([applied(fromCreditLine), approved, requested, fundingFailed])
      .when(drawn)
      .then([]);
  });

  it('ignores an answer about another credit line, an unrequested loan or an unknown loan', () => {
    spec
      .given([applied(fromCreditLine), approved, requested])
      .when({ type: 'RecordFunded', data: { ...drawn.data, creditLineId: 'other' } })
      .then([]);
    spec
      .given([applied(fromCreditLine), approved, requested])
      .when(savingsLent)
      .then([]);
    spec
      .given([applied(fromCreditLine), approved])
      .when(drawn)
      .then([]);
    spec.given([]).when(drawRejected).then([]);
  });
});

describe("disbursing from an SHG's savings (the saga with groups, who owns the money)", () => {
  const savingsFailed: LoanEvent = {
    type: 'LoanFundingFailed',
    data: { loanId, creditLineId: null, amount: 1_000_000, reason: 'insufficient_savings', failedOn: '2025-01-15' },
  };

  it('asks groups to lend, keeping no view of its own of the savings', () => {
    spec
      .given([applied(fromSavings), approved])
      .when(disburse(undefined))
      .then([savingsRequested]);
  });

  it("becomes disbursed when groups lent the savings, and fails with groups' reason when it refused", () => {
    spec
      .given([applied(fromSavings), approved, savingsRequested])
      .when(savingsLent)
      .then([disbursed(fromSavings)]);
    spec
      .given([applied(fromSavings), approved, savingsRequested])
      .when(savingsRefused)
      .then([savingsFailed]);
  });

  it('ignores a second answer, and an answer from the other kind of owner', () => {
    spec
      .given([applied(fromSavings), approved, savingsRequested, disbursed(fromSavings)])
      .when(savingsRefused)
      .then([]);
    spec
      .given([applied(fromSavings), approved, savingsRequested, savingsFailed])
      .when(savingsLent)
      .then([]);
    spec
      .given([applied(fromSavings), approved, savingsRequested])
      .when(drawn)
      .then([]);
  });

  it("ignores an answer from the other kind of owner even when it names the same line (none, or the loan's)", () => {
    spec
      .given([applied(fromSavings), approved, savingsRequested])
      .when({ type: 'RecordFunded', data: { ...savingsLent.data, source: 'credit-line' } })
      .then([]);
    spec
      .given([applied(fromSavings), approved, savingsRequested])
      .when({ type: 'RecordFundingRefused', data: { ...savingsRefused.data, source: 'credit-line' } })
      .then([]);
    spec
      .given([applied(fromCreditLine), approved, requested])
      .when({ type: 'RecordFunded', data: { ...drawn.data, source: 'shg-savings' } })
      .then([]);
  });
});

describe('repayments', () => {
  const active = () => [applied(), approved, disbursed()];

  it('allocates the installment due: interest, then principal', () => {
    spec
      .given(active())
      .when(repay(93_333))
      .then([repaid(93_333, [{ number: 1, interest: 10_000, principal: 83_333 }], 916_667)]);
  });

  it('allocates interest of all overdue installments before their principal', () => {
    spec
      .given(active())
      .when(repay(50_000, '2025-03-20'))
      .then([
        repaid(
          50_000,
          [
            { number: 1, interest: 10_000, principal: 30_000 },
            { number: 2, interest: 10_000, principal: 0 },
          ],
          970_000,
          '2025-03-20',
        ),
      ]);
  });

  it('closes the loan when the repayment pays everything owed', () => {
    const lines = scheduleOn('2025-01-15').map((i) => ({ number: i.number, interest: i.interest, principal: i.principal }));
    spec
      .given(active())
      .when(repay(1_120_000))
      .then([repaid(1_120_000, lines, 0), { type: 'LoanClosed', data: { loanId, closedOn: '2025-02-15' } }]);
  });

  it('refuses more than the total still owed', () => {
    spec
      .given([...active(), repaid(93_333, [{ number: 1, interest: 10_000, principal: 83_333 }], 916_667)])
      .when(repay(1_026_668))
      .thenThrows('loan_overpayment');
  });

  it('refuses a repayment on a loan that is not active', () => {
    spec.given([applied(), approved]).when(repay(100)).thenThrows('loan_not_active');
    spec
      .given([applied(fromCreditLine), approved, requested])
      .when(repay(100))
      .thenThrows('loan_not_active');
    const lines = scheduleOn('2025-01-15').map((i) => ({ number: i.number, interest: i.interest, principal: i.principal }));
    spec
      .given([...active(), repaid(1_120_000, lines, 0), { type: 'LoanClosed', data: { loanId, closedOn: '2025-02-15' } }])
      .when(repay(100))
      .thenThrows('loan_not_active');
  });

  it('refuses a repayment dated before the disbursement with date_out_of_order', () => {
    spec
      .given(active())
      .when(repay(100, '2025-01-14'))
      .thenThrows('date_out_of_order', { fields: ['paidOn'] });
  });

  it("takes a repayment dated on the disbursement day, towards the first installment's interest", () => {
    const disbursementDay = '2025-01-15';
    const firstInterest = { number: 1, interest: 10_000, principal: 0 };
    spec
      .given(active())
      .when(repay(10_000, disbursementDay))
      .then([repaid(10_000, [firstInterest], 1_000_000, disbursementDay)]);
  });

  it('counts the principal repaid earlier in what is still outstanding', () => {
    const firstInstallment = { number: 1, interest: 10_000, principal: 83_333 };
    const secondInstallment = { number: 2, interest: 10_000, principal: 83_333 };
    const outstandingAfterBoth = 1_000_000 - 83_333 - 83_333;
    spec
      .given([...active(), repaid(93_333, [firstInstallment], 916_667)])
      .when(repay(93_333, '2025-03-15', 'r-2'))
      .then([repaid(93_333, [secondInstallment], outstandingAfterBoth, '2025-03-15', 'r-2')]);
  });

  it('keeps each repayment with its date, so that the arrears can be told as of any day', () => {
    const firstInstallment = { number: 1, interest: 10_000, principal: 83_333 };
    const loan = fold(loanDecider.evolve, loanDecider.initialState(), [
      ...active(),
      repaid(93_333, [firstInstallment], 916_667, '2025-02-20'),
    ]) as Loan;
    const arrearsOn = (asOf: string) => daysPastDue(loan.installments, loan.repayments, asOf);
    expect(arrearsOn('2025-02-18')).toBe(3);
    expect(arrearsOn('2025-02-20')).toBe(0);
    expect(arrearsOn('2025-03-01')).toBe(0);
  });

  it('answers not_found for a loan that does not exist', () => {
    spec.given([]).when(repay(100)).thenThrows('not_found');
  });
});

it('keeps its events in streams of type "loan", the type stored with each of them (another name would part old streams from new)', () => {
  expect(LOAN_STREAM_TYPE).toBe('loan');
});
