export type {
  InstallmentRepayment as InstallmentAllocation,
  LendingEvent as LoanEvent,
  LoanAppliedData,
  LoanBorrower as Borrower,
  LoanFunding as Funding,
  LoanFundingSource as FundingSource,
  LoanInterestMethod as InterestMethod,
  LoanLender as Lender,
  LoanRepaymentAllocation as Allocation,
  LoanStatus,
  RepaymentReceivedData,
  ScheduledInstallment,
} from '@sangam/contracts';

export const LOAN_STREAM_TYPE = 'loan';
