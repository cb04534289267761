import { ApiProperty } from '@nestjs/swagger';
import { daysPastDue } from '../domain/days-past-due';
import type { Loan } from '../domain/loan.decider';
import type { Borrower, Funding, InterestMethod, Lender, LoanStatus } from '../domain/loan.events';
import { LOAN_STATUSES } from '../loan.responses';

export class InstallmentView {
  @ApiProperty() number: number;
  @ApiProperty({ format: 'date' }) dueOn: string;
  @ApiProperty({ type: 'integer' }) principal: number;
  @ApiProperty({ type: 'integer' }) interest: number;
  @ApiProperty({ type: 'integer' }) paidPrincipal: number;
  @ApiProperty({ type: 'integer' }) paidInterest: number;
}

export class LoanView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: LOAN_STATUSES }) status: LoanStatus;
  @ApiProperty({ example: { type: 'network', id: '00000000-0000-4000-8000-000000000000' } }) lender: Lender;
  @ApiProperty({ example: { type: 'shg', id: '00000000-0000-4000-8000-000000000000' } }) borrower: Borrower;
  @ApiProperty({ type: 'integer' }) principal: number;
  @ApiProperty({ type: 'integer', description: 'Principal disbursed and not yet repaid' }) outstandingPrincipal: number;
  @ApiProperty({ type: 'integer' }) interestPaid: number;
  @ApiProperty({ type: 'integer' }) principalPaid: number;
  @ApiProperty({ type: [InstallmentView], description: 'Empty until the loan is disbursed' }) schedule: InstallmentView[];
  @ApiProperty({ type: 'integer', description: 'Age in days of the oldest installment not fully paid as of asOf' }) daysPastDue: number;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true }) networkId: string | null;
  @ApiProperty() purpose: string;
  @ApiProperty({ type: 'integer' }) annualInterestRateBps: number;
  @ApiProperty({ type: 'integer' }) termMonths: number;
  @ApiProperty({ enum: ['flat', 'declining'] }) interestMethod: InterestMethod;
  @ApiProperty({ example: { source: 'credit-line', creditLineId: '00000000-0000-4000-8000-000000000000' } }) funding: Funding;
  @ApiProperty({ type: 'string', format: 'date', nullable: true }) approvedOn: string | null;
  @ApiProperty({ type: 'string', format: 'date', nullable: true }) disbursedOn: string | null;
  @ApiProperty({ type: 'string', nullable: true }) rejectionReason: string | null;
  @ApiProperty({
    type: 'string',
    nullable: true,
    description: 'Why the owner of the money refused it: bank-linkage (e.g. insufficient_credit) or groups (e.g. insufficient_savings)',
  })
  fundingFailureReason: string | null;
}

export function toLoanView(loan: Loan, asOf: string): LoanView {
  const { terms, installments } = loan;
  const principalPaid = installments.reduce((sum, i) => sum + i.paidPrincipal, 0);
  return {
    id: terms.loanId,
    status: loan.status,
    lender: terms.lender,
    borrower: terms.borrower,
    principal: terms.principal,
    outstandingPrincipal: loan.disbursedOn ? terms.principal - principalPaid : 0,
    interestPaid: installments.reduce((sum, i) => sum + i.paidInterest, 0),
    principalPaid,
    schedule: installments.map(({ number, dueOn, principal, interest, paidPrincipal, paidInterest }) => ({
      number,
      dueOn,
      principal,
      interest,
      paidPrincipal,
      paidInterest,
    })),
    daysPastDue: daysPastDue(installments, loan.repayments, asOf),
    networkId: terms.networkId,
    purpose: terms.purpose,
    annualInterestRateBps: terms.annualInterestRateBps,
    termMonths: terms.termMonths,
    interestMethod: terms.interestMethod,
    funding: terms.funding,
    approvedOn: loan.approvedOn,
    disbursedOn: loan.disbursedOn,
    rejectionReason: loan.rejectionReason,
    fundingFailureReason: loan.fundingFailureReason,
  };
}
