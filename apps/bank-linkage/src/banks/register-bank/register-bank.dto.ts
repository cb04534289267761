import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';
import { IsText } from '@sangam/platform';

export class RegisterBankDto {
  @IsText('State Bank of India')
  name: string;

  @IsText('Kudal')
  branch: string;

  @IsInt()
  @Min(0)
  @Max(10)
  @ApiProperty({
    minimum: 0,
    maximum: 10,
    example: 4,
    description: "A line's limit is at most this multiple of the borrower's savings; 0 = no cap",
  })
  maxSavingsMultiple: number;
}

export class RegisteredBankResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ description: 'Standard Webhooks secret (whsec_...); shown only once', example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' })
  webhookSecret: string;
}
