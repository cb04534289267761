import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsString, IsUUID, Matches, MaxLength } from 'class-validator';

export const MAX_TEXT_LENGTH = 200;

/** A name or place: a non-blank string of at most 200 characters. */
export const IsText = (example: string) =>
  applyDecorators(
    IsString(),
    Matches(/\S/, { message: '$property must not be blank' }),
    MaxLength(MAX_TEXT_LENGTH),
    ApiProperty({ example, maxLength: MAX_TEXT_LENGTH }),
  );

export const IsId = (description: string) => applyDecorators(IsUUID(), ApiProperty({ format: 'uuid', description }));
