import fc from 'fast-check';
import { LoanStory } from '../../test/reporting-events';
import { batchOf, tablesDdl } from '../projections/projection';
import { LOAN_LIFECYCLE, loanBookProjection, loanRepayments, loans } from './loan-book.projection';

const rowsOf = (story: LoanStory, events: ReturnType<LoanStory['applied']>[]) => {
  const batch = batchOf(
    loanBookProjection,
    events.map((e) => e.envelope),
  );
  return { loans: batch.rows(loans), repayments: batch.rows(loanRepayments), story };
};

const creditLineLoan = () =>
  new LoanStory({
    lender: { type: 'network', id: 'network-1' },
    borrower: { type: 'shg', id: 'shg-1' },
    principal: 120_000,
    termMonths: 4,
    purpose: 'goats',
    funding: { source: 'credit-line', creditLineId: 'line-1' },
    appliedAt: '2005-06-01T09:00:00.000Z',
  });

describe('loan-book projection', () => {
  it('records the terms, the schedule, the closing date and the dated repayments of a loan', () => {
    const story = creditLineLoan();
    const events = [
      story.applied(),
      story.approved('2005-06-10'),
      story.disbursementRequested('2005-06-15'),
      story.disbursed('2005-06-15'),
    ];
    events.push(...[1, 2, 3, 4].flatMap((n) => story.repaidInstallment(n, story.schedule[n - 1].dueOn)));
    const {
      loans: [loan],
      repayments,
    } = rowsOf(story, events);
    expect(loan).toEqual({
      loan_id: story.loanId,
      lender_type: 'network',
      lender_id: 'network-1',
      borrower_type: 'shg',
      borrower_id: 'shg-1',
      purpose: 'goats',
      principal: 120_000,
      funding_source: 'credit-line',
      applied_at: '2005-06-01T09:00:00.000Z',
      disbursed_on: '2005-06-15',
      schedule: story.schedule,
      closed_on: '2005-10-15',
      stage: LOAN_LIFECYCLE.indexOf('closed'),
    });
    expect(repayments.map((r) => [r.paid_on, r.principal, r.interest]).sort()).toEqual([
      ['2005-07-15', 30_000, 1_200],
      ['2005-08-15', 30_000, 1_200],
      ['2005-09-15', 30_000, 1_200],
      ['2005-10-15', 30_000, 1_200],
    ]);
  });

  it.each([
    ['applied', (s: LoanStory) => [s.applied()]],
    ['approved', (s: LoanStory) => [s.applied(), s.approved('2005-06-10')]],
    ['rejected', (s: LoanStory) => [s.applied(), s.rejected()]],
    ['disbursement_pending', (s: LoanStory) => [s.applied(), s.approved('2005-06-10'), s.disbursementRequested('2005-06-15')]],
    [
      'funding_failed',
      (s: LoanStory) => [s.applied(), s.approved('2005-06-10'), s.disbursementRequested('2005-06-15'), s.fundingFailed('2005-06-15')],
    ],
    ['active', (s: LoanStory) => [s.applied(), s.approved('2005-06-10'), s.disbursementRequested('2005-06-15'), s.disbursed('2005-06-15')]],
  ])('is %s after its last lifecycle event, whatever order the events are applied in', (status, eventsOf) => {
    const story = creditLineLoan();
    const events = eventsOf(story);
    fc.assert(
      fc.property(fc.shuffledSubarray(events, { minLength: events.length }), (shuffled) => {
        expect(LOAN_LIFECYCLE[rowsOf(story, shuffled).loans[0].stage as number]).toBe(status);
      }),
      { numRuns: 20 },
    );
  });

  it('ignores events it does not use', () => {
    const story = creditLineLoan();
    const unrelated = { ...story.applied(), envelope: { ...story.applied().envelope, type: 'LoanRenamed' } };
    expect(rowsOf(story, [unrelated]).loans).toEqual([]);
  });
});

describe('loan-book read model', () => {
  it("is named loan-book, reads lending and keeps its rows in these tables (the name and the tables' shape pick the generation reads are answered from)", () => {
    expect(loanBookProjection.name).toBe('loan-book');
    expect(loanBookProjection.topics).toEqual(['lending']);
    expect(tablesDdl(loanBookProjection)).toEqual([
      'CREATE TABLE loans (loan_id text NOT NULL, lender_type text, lender_id text, borrower_type text, borrower_id text, purpose text, principal bigint, funding_source text, applied_at timestamptz, disbursed_on date, schedule jsonb, closed_on date, stage smallint, PRIMARY KEY (loan_id))',
      'CREATE INDEX ON loans (lender_id)',
      'CREATE INDEX ON loans (borrower_id)',
      'CREATE TABLE loan_repayments (loan_id text NOT NULL, repayment_id text NOT NULL, paid_on date, principal bigint, interest bigint, PRIMARY KEY (loan_id, repayment_id))',
    ]);
  });
});
