import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsObject, IsOptional, IsUUID, Max, Min, ValidateNested } from 'class-validator';
import { IsPaise, IsText } from '@sangam/platform';
import type { Borrower, FundingSource, InterestMethod, Lender } from '../domain/loan.events';

export class LenderDto {
  @ApiProperty({ enum: ['network', 'shg'] })
  @IsIn(['network', 'shg'])
  type: Lender['type'];

  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  id: string;
}

export class BorrowerDto {
  @ApiProperty({ enum: ['shg', 'member'] })
  @IsIn(['shg', 'member'])
  type: Borrower['type'];

  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  id: string;
}

export class FundingDto {
  @ApiProperty({
    enum: ['common-fund', 'shg-savings', 'credit-line'],
    description: 'A network lends from its common fund, an SHG from its savings; either from a credit line of its own',
  })
  @IsIn(['common-fund', 'shg-savings', 'credit-line'])
  source: FundingSource;

  @ApiPropertyOptional({ format: 'uuid', description: 'Required for credit-line funding, and only for it' })
  @IsOptional()
  @IsUUID()
  creditLineId?: string;
}

export class ApplyForLoanDto {
  @ApiProperty({ type: LenderDto })
  @IsObject()
  @ValidateNested()
  @Type(() => LenderDto)
  lender: LenderDto;

  @ApiProperty({ type: BorrowerDto, description: 'A network lends to its member SHGs; an SHG to its own members' })
  @IsObject()
  @ValidateNested()
  @Type(() => BorrowerDto)
  borrower: BorrowerDto;

  @IsPaise()
  principal: number;

  @ApiProperty({ type: 'integer', minimum: 0, maximum: 6000, description: 'Annual rate in basis points (1200 = 12%)' })
  @IsInt()
  @Min(0)
  @Max(6000)
  annualInterestRateBps: number;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: 60 })
  @IsInt()
  @Min(1)
  @Max(60)
  termMonths: number;

  @ApiProperty({ enum: ['flat', 'declining'] })
  @IsIn(['flat', 'declining'])
  interestMethod: InterestMethod;

  @IsText('goat farming')
  purpose: string;

  @ApiProperty({ type: FundingDto })
  @IsObject()
  @ValidateNested()
  @Type(() => FundingDto)
  funding: FundingDto;
}
