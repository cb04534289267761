import { ApiProperty } from '@nestjs/swagger';

/** A re-drive takes no fields; the class exists so that unknown ones are refused. */
export class RedriveDeliveryDto {}

export class RedrivenDelivery {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ enum: ['pending'] })
  status: 'pending';
}
