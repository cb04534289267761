import { IsBusinessDate, IsPaise } from '@sangam/platform';
import { IsId } from '../../shared/validation';

export class WithdrawSavingsDto {
  @IsId('The withdrawing member')
  memberId: string;

  @IsPaise()
  amount: number;

  @IsBusinessDate()
  withdrawnOn: string;
}
