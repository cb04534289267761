import { randomUUID } from 'node:crypto';
import { Body, Controller, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNotFoundResponse, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { PostgresEventStore, type EventMetadata } from '@sangam/event-store';
import { CommandMetadata, Created, inPath, Policy } from '@sangam/platform';
import { executeShgCommand } from '../shg.stream';
import { EnrolMemberDto } from './enrol-member.dto';

@ApiTags('shgs')
@Controller('shgs/:id/members')
export class EnrolMemberController {
  constructor(private readonly store: PostgresEventStore) {}

  @Post()
  @Policy(['field-officer'], inPath('shg'))
  @ApiBearerAuth()
  @ApiCreatedResponse({ type: Created })
  @ApiNotFoundResponse({ description: 'not_found' })
  @ApiUnprocessableEntityResponse({ description: 'shg_full: the SHG already has 20 members' })
  async enrolMember(@Param('id') shgId: string, @Body() body: EnrolMemberDto, @CommandMetadata() metadata: EventMetadata): Promise<Created> {
    const memberId = randomUUID();
    await executeShgCommand(this.store, { type: 'EnrolMember', shgId, memberId, name: body.name, role: body.role }, metadata);
    return { id: memberId };
  }
}
