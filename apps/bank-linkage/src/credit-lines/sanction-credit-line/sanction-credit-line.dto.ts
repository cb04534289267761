import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsObject, IsUUID, Max, Min, ValidateNested } from 'class-validator';
import { CREDIT_BORROWER_TYPES, type CreditBorrowerType } from '@sangam/contracts';
import { IsBusinessDate, IsId, IsPaise } from '@sangam/platform';

export class CreditBorrowerDto {
  @IsIn(CREDIT_BORROWER_TYPES)
  @ApiProperty({ enum: CREDIT_BORROWER_TYPES })
  type: CreditBorrowerType;

  @IsUUID()
  @ApiProperty({ format: 'uuid', description: 'The network or SHG id (from the groups service)' })
  id: string;
}

export class SanctionCreditLineDto {
  @IsId('The sanctioning bank')
  bankId: string;

  @IsObject()
  @ValidateNested()
  @Type(() => CreditBorrowerDto)
  @ApiProperty({ type: CreditBorrowerDto })
  borrower: CreditBorrowerDto;

  @IsPaise()
  limit: number;

  @IsInt()
  @Min(0)
  @Max(6000)
  @ApiProperty({ minimum: 0, maximum: 6000, example: 900, description: 'Annual interest rate in basis points' })
  annualInterestRateBps: number;

  @IsBusinessDate()
  sanctionedOn: string;

  /** Planned: up to 50 years ahead. */
  @IsBusinessDate('planned')
  expiresOn: string;
}
