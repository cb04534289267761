import { IsBusinessDate, IsPaise } from '@sangam/platform';
import { IsId } from '../../shared/validation';

export class ContributeToFundDto {
  @IsId('The member SHG pooling part of its savings')
  shgId: string;

  @IsPaise()
  amount: number;

  @IsBusinessDate()
  contributedOn: string;
}
