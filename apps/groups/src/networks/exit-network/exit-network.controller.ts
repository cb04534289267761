import { Body, Controller, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNotFoundResponse, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import type { UnitOfWork } from '@sangam/event-store';
import { CommandMetadata, inPath, Policy, RequestUnitOfWork } from '@sangam/platform';
import { NetworkMembership } from '../network-membership.response';
import { GroupStreams } from '../../group-streams';
import { recordOnNetworkAndShg } from '../network-and-shg';
import { ExitNetworkDto } from './exit-network.dto';

@ApiTags('networks')
@Controller('networks/:id/members/:shgId/exit')
export class ExitNetworkController {
  constructor(private readonly streams: GroupStreams) {}

  @Post()
  @Policy(['field-officer'], inPath('network'), inPath('shg', 'shgId'))
  @ApiBearerAuth()
  @ApiCreatedResponse({ type: NetworkMembership, description: 'Fees already assessed stay owed and can still be paid' })
  @ApiNotFoundResponse({ description: 'not_found: unknown network or SHG' })
  @ApiUnprocessableEntityResponse({ description: 'not_a_member; date_out_of_order: before the SHG joined' })
  async exit(
    @Param('id') networkId: string,
    @Param('shgId') shgId: string,
    @Body() body: ExitNetworkDto,
    @CommandMetadata() metadata: CommandMetadata,
    @RequestUnitOfWork() unit: UnitOfWork,
  ): Promise<NetworkMembership> {
    const { exitedOn } = body;
    await recordOnNetworkAndShg(
      this.streams,
      unit,
      { type: 'RecordShgExit', data: { networkId, shgId, exitedOn }, metadata },
      { type: 'RecordNetworkExit', data: { shgId, networkId, exitedOn }, metadata },
    );
    return { networkId, shgId };
  }
}
