import { ApiProperty } from '@nestjs/swagger';
import { LOAN_LIFECYCLE } from '../loan-book.projection';

export class NetworkLoanView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) borrowerShgId: string;
  @ApiProperty() purpose: string;
  @ApiProperty({ type: 'integer', description: 'Paise' }) principal: number;
  @ApiProperty({ type: 'integer', description: 'Principal still owed on asOf, paise' }) outstandingPrincipal: number;
  @ApiProperty({ enum: LOAN_LIFECYCLE, description: 'The current status' }) status: string;
  @ApiProperty({ description: 'Age in days of the oldest installment not fully paid on asOf' }) daysPastDue: number;
}
