import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { MEMBER_ROLES, type MemberRole } from '@sangam/contracts';
import { IsText } from '@sangam/platform';

export class EnrolMemberDto {
  @IsText('Savita Naik')
  name: string;

  @IsIn(MEMBER_ROLES)
  @ApiProperty({ enum: MEMBER_ROLES })
  role: MemberRole;
}
