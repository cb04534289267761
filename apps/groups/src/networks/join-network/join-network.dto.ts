import { IsBusinessDate, IsId } from '@sangam/platform';

export class JoinNetworkDto {
  @IsId('The joining SHG')
  shgId: string;

  @IsBusinessDate()
  joinedOn: string;
}
