import type { LendingEvent, LoanStatus } from '@sangam/contracts';
import { CommutativeTable } from '../projections/commutative-table';
import type { Projection } from '../projections/projection';

/** Every transition of a loan moves it further down this list, so its status is the furthest stage seen. */
export const LOAN_LIFECYCLE: readonly LoanStatus[] = [
  'applied',
  'approved',
  'rejected',
  'disbursement_pending',
  'funding_failed',
  'active',
  'closed',
];

const stage = (status: LoanStatus): number => LOAN_LIFECYCLE.indexOf(status);

export const loans = new CommutativeTable({
  name: 'loans',
  keys: { loan_id: 'text' },
  facts: {
    lender_type: 'text',
    lender_id: 'text',
    borrower_type: 'text',
    borrower_id: 'text',
    purpose: 'text',
    principal: 'bigint',
    funding_source: 'text',
    applied_at: 'timestamptz',
    disbursed_on: 'date',
    schedule: 'jsonb',
    closed_on: 'date',
  },
  maxima: { stage: 'smallint' },
  indexes: [['lender_id'], ['borrower_id']],
});

export const loanRepayments = new CommutativeTable({
  name: 'loan_repayments',
  keys: { loan_id: 'text', repayment_id: 'text' },
  facts: { paid_on: 'date', principal: 'bigint', interest: 'bigint' },
});

/** Loans of networks and SHGs, with their schedules and dated repayments (lending's events). */
export const loanBookProjection: Projection = {
  name: 'loan-book',
  lockKey: 1,
  topics: ['lending'],
  tables: [loans, loanRepayments],
  project(envelope, batch) {
    const event = { type: envelope.type, data: envelope.data } as LendingEvent;
    switch (event.type) {
      case 'LoanApplied': {
        const { loanId, lender, borrower, purpose, principal, funding, appliedAt } = event.data;
        batch.add(loans, {
          loan_id: loanId,
          lender_type: lender.type,
          lender_id: lender.id,
          borrower_type: borrower.type,
          borrower_id: borrower.id,
          purpose,
          principal,
          funding_source: funding.source,
          applied_at: appliedAt,
          stage: stage('applied'),
        });
        return;
      }
      case 'LoanApproved':
        return batch.add(loans, { loan_id: event.data.loanId, stage: stage('approved') });
      case 'LoanRejected':
        return batch.add(loans, { loan_id: event.data.loanId, stage: stage('rejected') });
      case 'LoanDisbursementRequested':
        return batch.add(loans, { loan_id: event.data.loanId, stage: stage('disbursement_pending') });
      case 'LoanFundingFailed':
        return batch.add(loans, { loan_id: event.data.loanId, stage: stage('funding_failed') });
      case 'LoanDisbursed': {
        const { loanId, lender, borrower, principal, funding, disbursedOn, schedule } = event.data;
        batch.add(loans, {
          loan_id: loanId,
          lender_type: lender.type,
          lender_id: lender.id,
          borrower_type: borrower.type,
          borrower_id: borrower.id,
          principal,
          funding_source: funding.source,
          disbursed_on: disbursedOn,
          schedule: schedule.map(({ number, dueOn, principal: p, interest }) => ({ number, dueOn, principal: p, interest })),
          stage: stage('active'),
        });
        return;
      }
      case 'RepaymentReceived': {
        const { loanId, repaymentId, paidOn, allocation } = event.data;
        batch.add(loanRepayments, {
          loan_id: loanId,
          repayment_id: repaymentId,
          paid_on: paidOn,
          principal: allocation.principal,
          interest: allocation.interest,
        });
        return;
      }
      case 'LoanClosed':
        return batch.add(loans, { loan_id: event.data.loanId, closed_on: event.data.closedOn, stage: stage('closed') });
    }
  },
};
