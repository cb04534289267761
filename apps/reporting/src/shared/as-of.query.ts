import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { IsBusinessDate } from '@sangam/platform';

export class AsOfQuery {
  @ApiPropertyOptional({
    type: 'string',
    format: 'date',
    description: 'The date loan figures and arrears are stated at (default: today, UTC)',
  })
  @IsOptional()
  @IsBusinessDate('query')
  asOf?: string;
}
