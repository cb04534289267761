import { Body, Controller, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNotFoundResponse, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { PostgresEventStore, type EventMetadata } from '@sangam/event-store';
import { CommandMetadata, inPath, Policy } from '@sangam/platform';
import { handleCommandAcrossStreams } from '../../shared/cross-stream-command';
import { onShgStream } from '../../shgs/shg.stream';
import { NetworkMembership } from '../network-membership.response';
import { onNetworkStream } from '../network.stream';
import { ExitNetworkDto } from './exit-network.dto';

@ApiTags('networks')
@Controller('networks/:id/members/:shgId/exit')
export class ExitNetworkController {
  constructor(private readonly store: PostgresEventStore) {}

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
    @CommandMetadata() metadata: EventMetadata,
  ): Promise<NetworkMembership> {
    const { exitedOn } = body;
    await handleCommandAcrossStreams(
      this.store,
      [
        onNetworkStream({ type: 'RecordShgExit', networkId, shgId, exitedOn }),
        onShgStream({ type: 'RecordNetworkExit', shgId, networkId, exitedOn }),
      ],
      metadata,
    );
    return { networkId, shgId };
  }
}
