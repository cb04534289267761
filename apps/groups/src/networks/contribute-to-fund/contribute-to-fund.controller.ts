import { randomUUID } from 'node:crypto';
import { Body, Controller, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNotFoundResponse, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { PostgresEventStore, type EventMetadata } from '@sangam/event-store';
import { CommandMetadata, Created, inBody, inPath, Policy } from '@sangam/platform';
import { handleCommandAcrossStreams } from '../../shared/cross-stream-command';
import { onShgStream } from '../../shgs/shg.stream';
import { onNetworkStream } from '../network.stream';
import { ContributeToFundDto } from './contribute-to-fund.dto';

@ApiTags('networks')
@Controller('networks/:id/fund/contributions')
export class ContributeToFundController {
  constructor(private readonly store: PostgresEventStore) {}

  @Post()
  @Policy(['field-officer'], inPath('network'), inBody('shg', 'shgId'))
  @ApiBearerAuth()
  @ApiCreatedResponse({ type: Created, description: "The SHG's pooledSavings rise and its free savings fall by amount" })
  @ApiNotFoundResponse({ description: 'not_found: unknown network or SHG' })
  @ApiUnprocessableEntityResponse({ description: "not_a_member; insufficient_savings: more than the SHG's free savings; date_out_of_order: before the SHG joined; amount_too_large: the common fund would pass 2^53 - 1 paise" })
  async contribute(@Param('id') networkId: string, @Body() body: ContributeToFundDto, @CommandMetadata() metadata: EventMetadata): Promise<Created> {
    const contributionId = randomUUID();
    const { shgId, amount, contributedOn } = body;
    await handleCommandAcrossStreams(
      this.store,
      [
        onNetworkStream({ type: 'ReceiveContribution', networkId, contributionId, shgId, amount, contributedOn }),
        onShgStream({ type: 'PoolSavings', shgId, networkId, contributionId, amount, pooledOn: contributedOn }),
      ],
      metadata,
    );
    return { id: contributionId };
  }
}
