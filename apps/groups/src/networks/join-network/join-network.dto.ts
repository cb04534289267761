import { IsBusinessDate } from '@sangam/platform';
import { IsId } from '../../shared/validation';

export class JoinNetworkDto {
  @IsId('The joining SHG')
  shgId: string;

  @IsBusinessDate()
  joinedOn: string;
}
