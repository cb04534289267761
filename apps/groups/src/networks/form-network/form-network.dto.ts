import { IsBusinessDate, IsPaise, IsText } from '@sangam/platform';

export class FormNetworkDto {
  @IsText('Sindhudurg SHG Federation')
  name: string;

  @IsText('Kudal')
  cluster: string;

  @IsBusinessDate()
  formedOn: string;

  /** Charged to each member SHG per year, in paise (30000 = Rs 300); 0 for a network that charges none. */
  @IsPaise(0)
  annualFee: number;
}
