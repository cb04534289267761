import { IsBusinessDate, IsPaise } from '@sangam/platform';
import { IsId } from '../../shared/validation';

export class PayAnnualFeeDto {
  @IsId('The paying SHG')
  shgId: string;

  @IsPaise()
  amount: number;

  @IsBusinessDate()
  paidOn: string;
}
