import { ApiProperty } from '@nestjs/swagger';

/** The rotation takes no fields; the class exists so that unknown ones are refused. */
export class RotateWebhookSecretDto {}

export class RotatedSecretResponse {
  @ApiProperty({
    description: 'The new Standard Webhooks secret; the previous one keeps verifying for 24 h',
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  })
  webhookSecret: string;
}
