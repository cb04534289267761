import { IsBusinessDate, IsId, IsPaise } from '@sangam/platform';

export class PayAnnualFeeDto {
  @IsId('The paying SHG')
  shgId: string;

  @IsPaise()
  amount: number;

  @IsBusinessDate()
  paidOn: string;
}
