import { ApiProperty } from '@nestjs/swagger';
import { IsBusinessDate, IsPaise } from '@sangam/platform';

export class RecordRepaymentDto {
  @IsPaise()
  amount: number;

  @IsBusinessDate()
  paidOn: string;
}

export class AllocationView {
  @ApiProperty({ type: 'integer', description: 'Paise that paid interest' })
  interest: number;

  @ApiProperty({ type: 'integer', description: 'Paise that paid principal' })
  principal: number;
}

export class RecordedRepayment {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ type: AllocationView })
  allocation: AllocationView;
}
