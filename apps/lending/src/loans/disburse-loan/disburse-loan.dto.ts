import { IsBusinessDate } from '@sangam/platform';

export class DisburseLoanDto {
  @IsBusinessDate()
  disbursedOn: string;
}
