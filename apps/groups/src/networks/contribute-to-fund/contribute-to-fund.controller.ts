import { randomUUID } from 'node:crypto';
import { Body, Controller, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNotFoundResponse, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import type { UnitOfWork } from '@sangam/event-store';
import { CommandMetadata, Created, inBody, inPath, Policy, RequestUnitOfWork } from '@sangam/platform';
import { GroupStreams } from '../../group-streams';
import { recordOnNetworkAndShg } from '../network-and-shg';
import { ContributeToFundDto } from './contribute-to-fund.dto';

@ApiTags('networks')
@Controller('networks/:id/fund/contributions')
export class ContributeToFundController {
  constructor(private readonly streams: GroupStreams) {}

  @Post()
  @Policy(['field-officer'], inPath('network'), inBody('shg', 'shgId'))
  @ApiBearerAuth()
  @ApiCreatedResponse({ type: Created, description: "The SHG's pooledSavings rise and its free savings fall by amount" })
  @ApiNotFoundResponse({ description: 'not_found: unknown network or SHG' })
  @ApiUnprocessableEntityResponse({
    description:
      "not_a_member; insufficient_savings: more than the SHG's free savings; date_out_of_order: before the SHG joined; amount_too_large: the common fund would pass 2^53 - 1 paise",
  })
  async contribute(
    @Param('id') networkId: string,
    @Body() body: ContributeToFundDto,
    @CommandMetadata() metadata: CommandMetadata,
    @RequestUnitOfWork() unit: UnitOfWork,
  ): Promise<Created> {
    const contributionId = randomUUID();
    const { shgId, amount, contributedOn } = body;
    await recordOnNetworkAndShg(
      this.streams,
      unit,
      { type: 'ReceiveContribution', data: { networkId, contributionId, shgId, amount, contributedOn }, metadata },
      { type: 'PoolSavings', data: { shgId, networkId, contributionId, amount, pooledOn: contributedOn }, metadata },
    );
    return { id: contributionId };
  }
}
