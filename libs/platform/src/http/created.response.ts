import { ApiProperty } from '@nestjs/swagger';

/** The answer to a command that created something: its id. */
export class Created {
  @ApiProperty({ format: 'uuid' })
  id: string;
}
