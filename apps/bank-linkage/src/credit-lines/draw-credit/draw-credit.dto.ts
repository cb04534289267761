import { IsBusinessDate, IsPaise, IsText } from '@sangam/platform';
import { IsBankReference } from '../../shared/validation';

export class DrawCreditDto {
  @IsPaise()
  amount: number;

  @IsBusinessDate()
  drawnOn: string;

  @IsText('Working capital for the rice-processing unit')
  purpose: string;

  @IsBankReference()
  bankReference?: string;
}
