import { ApiProperty } from '@nestjs/swagger';

export class Created {
  @ApiProperty({ format: 'uuid' })
  id: string;
}
