import { ApiProperty } from '@nestjs/swagger';

export class PartyView {
  @ApiProperty({ enum: ['network', 'shg', 'member'] }) type: string;
  @ApiProperty({ format: 'uuid' }) id: string;
}
