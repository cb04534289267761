import { ApiProperty } from '@nestjs/swagger';
import { IsBusinessDate, IsPaise } from '@sangam/platform';
import { IsBankReference } from '../../shared/validation';

export class RepayCreditDto {
  @IsPaise()
  amount: number;

  @IsBusinessDate()
  repaidOn: string;

  @IsBankReference()
  bankReference?: string;
}

class AllocationResponse {
  @ApiProperty({ type: 'integer', description: 'Paise that paid charged interest' })
  interest: number;

  @ApiProperty({ type: 'integer', description: 'Paise that repaid drawn principal (available again)' })
  principal: number;
}

export class RepaymentResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ type: AllocationResponse })
  allocation: AllocationResponse;
}
