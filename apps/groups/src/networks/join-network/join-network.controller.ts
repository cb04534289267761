import { Body, Controller, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNotFoundResponse, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { PostgresEventStore, type EventMetadata } from '@sangam/event-store';
import { CommandMetadata, inBody, inPath, Policy } from '@sangam/platform';
import { handleCommandAcrossStreams } from '../../shared/cross-stream-command';
import { onShgStream } from '../../shgs/shg.stream';
import { NetworkMembership } from '../network-membership.response';
import { onNetworkStream } from '../network.stream';
import { JoinNetworkDto } from './join-network.dto';

@ApiTags('networks')
@Controller('networks/:id/members')
export class JoinNetworkController {
  constructor(private readonly store: PostgresEventStore) {}

  @Post()
  @Policy(['field-officer'], inPath('network'), inBody('shg', 'shgId'))
  @ApiBearerAuth()
  @ApiCreatedResponse({ type: NetworkMembership })
  @ApiNotFoundResponse({ description: 'not_found: unknown network or SHG' })
  @ApiUnprocessableEntityResponse({ description: 'already_in_network: the SHG belongs to a network (this one or another); date_out_of_order: before the network or the SHG was formed, or before the SHG left its last network' })
  async join(@Param('id') networkId: string, @Body() body: JoinNetworkDto, @CommandMetadata() metadata: EventMetadata): Promise<NetworkMembership> {
    const { shgId, joinedOn } = body;
    await handleCommandAcrossStreams(
      this.store,
      [
        onNetworkStream({ type: 'AdmitShg', networkId, shgId, joinedOn }),
        onShgStream({ type: 'RecordNetworkMembership', shgId, networkId, joinedOn }),
      ],
      metadata,
    );
    return { networkId, shgId };
  }
}
