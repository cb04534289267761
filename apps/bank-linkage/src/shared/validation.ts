import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';

const MAX_BANK_REFERENCE_LENGTH = 100;

/** The bank's own reference (a UTR, say): a drawdown or repayment carrying it is recorded once per line. */
export const IsBankReference = () =>
  applyDecorators(
    IsOptional(),
    IsString(),
    Matches(/\S/, { message: '$property must not be blank' }),
    MaxLength(MAX_BANK_REFERENCE_LENGTH),
    ApiPropertyOptional({
      example: 'UTR0001',
      maxLength: MAX_BANK_REFERENCE_LENGTH,
      description: "The bank's reference; unique per credit line",
    }),
  );
