import { ApiProperty } from '@nestjs/swagger';
import { IsBusinessDate } from '@sangam/platform';

export class AssessAnnualFeesDto {
  @IsBusinessDate()
  assessedOn: string;
}

export class Assessed {
  @ApiProperty({ type: 'integer', description: 'How many member SHGs were assessed now (those already assessed for the year are skipped)' })
  assessed: number;
}
