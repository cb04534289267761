import { ApiProperty } from '@nestjs/swagger';

export class NetworkMembership {
  @ApiProperty({ format: 'uuid' }) networkId: string;
  @ApiProperty({ format: 'uuid' }) shgId: string;
}
