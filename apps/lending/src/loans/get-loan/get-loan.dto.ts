import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { IsBusinessDate } from '@sangam/platform';

export class GetLoanQuery {
  @ApiPropertyOptional({ type: 'string', format: 'date', description: 'The date daysPastDue is counted at (default: today, UTC)' })
  @IsOptional()
  @IsBusinessDate('query')
  asOf?: string;
}
