import { ApiProperty } from '@nestjs/swagger';
import { LOAN_LIFECYCLE } from '../../loan-book/loan-book.projection';
import { PartyView } from '../../shared/party.view';

export class FeeOwedView {
  @ApiProperty() year: number;
  @ApiProperty({ type: 'integer', description: 'Assessed and not yet paid, paise (all networks the SHG belonged to)' }) outstanding: number;
}

export class ShgLoanView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: PartyView, description: 'The SHG itself when it lends to a member' }) lender: PartyView;
  @ApiProperty({ type: PartyView, description: 'The SHG itself when it borrows from its network' }) borrower: PartyView;
  @ApiProperty() purpose: string;
  @ApiProperty({ type: 'integer', description: 'Paise' }) principal: number;
  @ApiProperty({ type: 'integer', description: 'Principal still owed on asOf, paise' }) outstandingPrincipal: number;
  @ApiProperty({ enum: LOAN_LIFECYCLE, description: 'The current status' }) status: string;
  @ApiProperty({ description: 'Age in days of the oldest installment not fully paid on asOf' }) daysPastDue: number;
}

export class ShgStatementView {
  @ApiProperty({ format: 'uuid' }) shgId: string;
  @ApiProperty({ type: 'integer', description: 'Free savings: deposits - withdrawals - pooled - lentToMembers + interestEarned, paise' })
  savingsBalance: number;
  @ApiProperty({ type: 'integer', description: "Savings pooled into the network's common fund, paise" }) pooledSavings: number;
  @ApiProperty({ type: 'integer', description: 'Principal lent to members from the savings, not yet repaid, paise' }) lentToMembers: number;
  @ApiProperty({ type: 'integer', description: 'Interest earned on loans from the savings, paise' }) interestEarned: number;
  @ApiProperty({ type: [FeeOwedView], description: 'Years with an annual fee still owed' }) feesOwed: FeeOwedView[];
  @ApiProperty({ type: [ShgLoanView], description: 'Loans the SHG borrows and lends' }) loans: ShgLoanView[];
}
