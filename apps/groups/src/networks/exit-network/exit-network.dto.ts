import { IsBusinessDate } from '@sangam/platform';

export class ExitNetworkDto {
  @IsBusinessDate()
  exitedOn: string;
}
