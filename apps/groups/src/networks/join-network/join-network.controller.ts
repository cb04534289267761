import { Body, Controller, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNotFoundResponse, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import type { UnitOfWork } from '@sangam/event-store';
import { CommandMetadata, inBody, inPath, Policy, RequestUnitOfWork } from '@sangam/platform';
import { NetworkMembership } from '../network-membership.response';
import { GroupStreams } from '../../group-streams';
import { recordOnNetworkAndShg } from '../network-and-shg';
import { JoinNetworkDto } from './join-network.dto';

@ApiTags('networks')
@Controller('networks/:id/members')
export class JoinNetworkController {
  constructor(private readonly streams: GroupStreams) {}

  @Post()
  @Policy(['field-officer'], inPath('network'), inBody('shg', 'shgId'))
  @ApiBearerAuth()
  @ApiCreatedResponse({ type: NetworkMembership })
  @ApiNotFoundResponse({ description: 'not_found: unknown network or SHG' })
  @ApiUnprocessableEntityResponse({
    description:
      'already_in_network: the SHG belongs to a network (this one or another); date_out_of_order: before the network or the SHG was formed, or before the SHG left its last network',
  })
  async join(
    @Param('id') networkId: string,
    @Body() body: JoinNetworkDto,
    @CommandMetadata() metadata: CommandMetadata,
    @RequestUnitOfWork() unit: UnitOfWork,
  ): Promise<NetworkMembership> {
    const { shgId, joinedOn } = body;
    await recordOnNetworkAndShg(
      this.streams,
      unit,
      { type: 'AdmitShg', data: { networkId, shgId, joinedOn }, metadata },
      { type: 'RecordNetworkMembership', data: { shgId, networkId, joinedOn }, metadata },
    );
    return { networkId, shgId };
  }
}
