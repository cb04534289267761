import { IsBusinessDate, IsId, IsPaise } from '@sangam/platform';

export class ContributeToFundDto {
  @IsId('The member SHG pooling part of its savings')
  shgId: string;

  @IsPaise()
  amount: number;

  @IsBusinessDate()
  contributedOn: string;
}
