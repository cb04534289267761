import { IsBusinessDate, IsId, IsPaise } from '@sangam/platform';

export class WithdrawSavingsDto {
  @IsId('The withdrawing member')
  memberId: string;

  @IsPaise()
  amount: number;

  @IsBusinessDate()
  withdrawnOn: string;
}
