import { IsBusinessDate } from '@sangam/platform';

export class ApproveLoanDto {
  @IsBusinessDate()
  approvedOn: string;
}
