import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { ROLES, type Caller, type Role } from './caller';
import { CurrentCaller } from './current-caller.decorator';
import { Policy, SIGNED_IN } from './route-policy';

class MeView {
  @ApiProperty({ description: 'The token subject (sub)' }) userId!: string;
  @ApiProperty({ description: 'preferred_username' }) username!: string;
  @ApiProperty({ enum: ROLES, isArray: true }) roles!: Role[];
}

@ApiTags('access')
@ApiBearerAuth()
@Controller('me')
export class MeController {
  @Get()
  @Policy(SIGNED_IN)
  @ApiOkResponse({ type: MeView })
  me(@CurrentCaller() caller: Caller): MeView {
    return { userId: caller.userId, username: caller.username, roles: caller.roles };
  }
}
