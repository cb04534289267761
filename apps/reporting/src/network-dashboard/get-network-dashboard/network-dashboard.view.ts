import { ApiProperty } from '@nestjs/swagger';

const paise = (description?: string) => ApiProperty({ type: 'integer', description: description ? `${description}, paise` : 'Paise' });

export class CommonFundView {
  @paise('feesCollected + contributions - lentOut + repaidIn') balance: number;
  @paise('Annual fees paid') feesCollected: number;
  @paise('Savings pooled by member SHGs') contributions: number;
  @paise('Principal disbursed from the fund') lentOut: number;
  @paise('Principal and interest repaid on loans from the fund') repaidIn: number;
}

export class FeeYearView {
  @ApiProperty() year: number;
  @paise() assessed: number;
  @paise() collected: number;
  @paise() outstanding: number;
  @ApiProperty({ type: [String], description: 'SHGs that still owe part of the fee, including SHGs that have left' })
  unpaidShgIds: string[];
}

export class CreditLineView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) bankId: string;
  @paise() limit: number;
  @paise('Principal drawn and not repaid') drawn: number;
  @paise('limit - drawn') available: number;
  @paise() interestCharged: number;
  @paise() interestPaid: number;
}

export class LoanBookView {
  @ApiProperty({ description: 'Loans the network lends, whatever their status' }) count: number;
  @ApiProperty({ description: 'Disbursed by asOf and not closed by then' }) active: number;
  @ApiProperty({ description: 'Closed by asOf' }) closed: number;
  @paise('Principal disbursed by asOf') disbursedPrincipal: number;
  @paise('Principal still owed on asOf') outstandingPrincipal: number;
  @paise('Principal repaid by asOf') principalRepaid: number;
  @paise('Interest repaid by asOf') interestCollected: number;
  @ApiProperty({ description: 'Loans with an installment due by asOf and not fully paid' }) overdueCount: number;
  @ApiProperty({ description: 'Outstanding principal of loans more than 30 days past due / all outstanding principal, 4 decimals' })
  par30: number;
}

export class NetworkDashboardView {
  @ApiProperty({ format: 'uuid' }) networkId: string;
  @ApiProperty() name: string;
  @ApiProperty() memberShgCount: number;
  @ApiProperty({ type: CommonFundView }) commonFund: CommonFundView;
  @ApiProperty({ type: [FeeYearView] }) fees: FeeYearView[];
  @ApiProperty({ type: [CreditLineView] }) creditLines: CreditLineView[];
  @ApiProperty({ type: LoanBookView, description: 'The loan book as it stood on asOf' }) loans: LoanBookView;
}
