import { IsBusinessDate, IsPaise } from '@sangam/platform';
import { IsId } from '../../shared/validation';

export class DepositSavingsDto {
  @IsId('The saving member')
  memberId: string;

  @IsPaise()
  amount: number;

  @IsBusinessDate()
  depositedOn: string;
}
