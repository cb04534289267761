import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';

export const MAX_TEXT_LENGTH = 200;
export const MAX_BANK_REFERENCE_LENGTH = 100;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (value: string): boolean => UUID.test(value);

/** A name, place or purpose: a non-blank string of at most 200 characters. */
export const IsText = (example: string) =>
  applyDecorators(IsString(), Matches(/\S/, { message: '$property must not be blank' }), MaxLength(MAX_TEXT_LENGTH), ApiProperty({ example, maxLength: MAX_TEXT_LENGTH }));

export const IsId = (description: string) => applyDecorators(IsUUID(), ApiProperty({ format: 'uuid', description }));

/** The bank's own reference (a UTR, say): a drawdown or repayment carrying it is recorded once per line. */
export const IsBankReference = () =>
  applyDecorators(
    IsOptional(),
    IsString(),
    Matches(/\S/, { message: '$property must not be blank' }),
    MaxLength(MAX_BANK_REFERENCE_LENGTH),
    ApiPropertyOptional({ example: 'UTR0001', maxLength: MAX_BANK_REFERENCE_LENGTH, description: "The bank's reference; unique per credit line" }),
  );
