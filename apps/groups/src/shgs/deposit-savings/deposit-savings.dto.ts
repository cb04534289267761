import { IsBusinessDate, IsId, IsPaise } from '@sangam/platform';

export class DepositSavingsDto {
  @IsId('The saving member')
  memberId: string;

  @IsPaise()
  amount: number;

  @IsBusinessDate()
  depositedOn: string;
}
