import { randomUUID } from 'node:crypto';
import { Body, Controller, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNotFoundResponse, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import type { UnitOfWork } from '@sangam/event-store';
import { CommandMetadata, Created, inPath, Policy, RequestUnitOfWork } from '@sangam/platform';
import { ShgCommandHandler } from '../shg.command-handler';
import { EnrolMemberDto } from './enrol-member.dto';

@ApiTags('shgs')
@Controller('shgs/:id/members')
export class EnrolMemberController {
  constructor(private readonly shgs: ShgCommandHandler) {}

  @Post()
  @Policy(['field-officer'], inPath('shg'))
  @ApiBearerAuth()
  @ApiCreatedResponse({ type: Created })
  @ApiNotFoundResponse({ description: 'not_found' })
  @ApiUnprocessableEntityResponse({ description: 'shg_full: the SHG already has 20 members' })
  async enrolMember(
    @Param('id') shgId: string,
    @Body() body: EnrolMemberDto,
    @CommandMetadata() metadata: CommandMetadata,
    @RequestUnitOfWork() unit: UnitOfWork,
  ): Promise<Created> {
    const memberId = randomUUID();
    await this.shgs.handle(unit, shgId, { type: 'EnrolMember', data: { shgId, memberId, name: body.name, role: body.role }, metadata });
    return { id: memberId };
  }
}
