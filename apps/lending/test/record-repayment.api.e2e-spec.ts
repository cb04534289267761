import { randomUUID } from 'node:crypto';
import {
  existingStream,
  expectNewEvents,
  expectNoNewEvents,
  expectResponse,
  post,
  spec,
  startService,
  type RunningService,
} from '@sangam/testing';
import { LendingModule } from '../src/lending.module';
import { LOAN_STREAM_TYPE, type LoanAppliedData, type LoanEvent } from '../src/loans/domain/loan.events';
import { buildSchedule } from '../src/loans/domain/schedule';

/** A repayment at the API: given a loan's stream, the request, the events it appends. */
describe('recording a repayment, given a loan disbursed from a common fund', () => {
  let service: RunningService;
  beforeAll(async () => {
    service = await startService('lending', (config) => LendingModule.forRoot(config), { databasePrefix: 'sangam_test_lending_api' });
  });
  afterAll(() => service.stop());

  /** Rs 1,000 over four months at 24% flat: Rs 250 principal and Rs 20 interest a month, due from 1 August 2005. */
  const disbursedLoan = () => {
    const loanId = randomUUID();
    const networkId = randomUUID();
    const terms: LoanAppliedData = {
      loanId,
      lender: { type: 'network', id: networkId },
      borrower: { type: 'shg', id: randomUUID() },
      networkId,
      principal: 100_000,
      annualInterestRateBps: 2400,
      termMonths: 4,
      interestMethod: 'flat',
      purpose: 'dairy',
      funding: { source: 'common-fund', creditLineId: null },
      appliedAt: '2005-06-01T10:00:00.000Z',
      appliedBy: randomUUID(),
    };
    const { lender, borrower, principal, annualInterestRateBps, termMonths, interestMethod } = terms;
    const events: LoanEvent[] = [
      { type: 'LoanApplied', data: terms },
      { type: 'LoanApproved', data: { loanId, approvedOn: '2005-06-20' } },
      {
        type: 'LoanDisbursed',
        data: {
          loanId,
          lender,
          borrower,
          networkId,
          principal,
          disbursedOn: '2005-07-01',
          funding: { source: 'common-fund', creditLineId: null, drawdownId: null },
          interestMethod,
          annualInterestRateBps,
          termMonths,
          schedule: buildSchedule({ ...terms, disbursedOn: '2005-07-01' }),
        },
      },
    ];
    return { loanId, lender, borrower, networkId, given: spec(() => service).given(existingStream(loanId, LOAN_STREAM_TYPE, events)) };
  };

  it('allocates it to the interest due, then the principal due, oldest installment first', async () => {
    const { loanId, lender, borrower, networkId, given } = disbursedLoan();
    await given.when(post('admin', `/loans/${loanId}/repayments`, { amount: 10_000, paidOn: '2005-09-21' })).then(
      expectResponse(201, { id: expect.any(String), allocation: { interest: 4_000, principal: 6_000 } }),
      expectNewEvents(loanId, [
        {
          type: 'RepaymentReceived',
          data: {
            loanId,
            repaymentId: expect.any(String),
            lender,
            borrower,
            networkId,
            fundingSource: 'common-fund',
            amount: 10_000,
            paidOn: '2005-09-21',
            allocation: { interest: 4_000, principal: 6_000 },
            installments: [
              { number: 1, interest: 2_000, principal: 6_000 },
              { number: 2, interest: 2_000, principal: 0 },
            ],
            outstandingPrincipal: 94_000,
          },
        },
      ]),
    );
  });

  it('closes the loan with the repayment that clears it', async () => {
    const { loanId, given } = disbursedLoan();
    await given.when(post('admin', `/loans/${loanId}/repayments`, { amount: 108_000, paidOn: '2005-11-01' })).then(
      expectResponse(201, { allocation: { interest: 8_000, principal: 100_000 } }),
      expectNewEvents(loanId, [
        { type: 'RepaymentReceived', data: expect.objectContaining({ amount: 108_000, outstandingPrincipal: 0 }) },
        { type: 'LoanClosed', data: { loanId, closedOn: '2005-11-01' } },
      ]),
    );
  });

  it('refuses more than is owed, appending nothing', async () => {
    const { loanId, given } = disbursedLoan();
    await given
      .when(post('admin', `/loans/${loanId}/repayments`, { amount: 108_001, paidOn: '2005-11-01' }))
      .then(expectResponse(422, { error: 'loan_overpayment' }), expectNoNewEvents(loanId));
  });

  it('refuses an approver, whose role records no repayments, appending nothing', async () => {
    const { loanId, given } = disbursedLoan();
    await given
      .when(post('approver1', `/loans/${loanId}/repayments`, { amount: 10_000, paidOn: '2005-09-21' }))
      .then(expectResponse(403), expectNoNewEvents(loanId));
  });
});
