import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { NetworkQuery } from '../network.query';
import { NetworkView, toNetworkView } from './get-network.response';
import { Policy, inPath } from '@sangam/platform';

@ApiTags('networks')
@Controller('networks')
export class GetNetworkController {
  constructor(private readonly networks: NetworkQuery) {}

  @Get(':id')
  @Policy(['field-officer', 'approver'], inPath('network'))
  @ApiBearerAuth()
  @ApiOkResponse({ type: NetworkView })
  @ApiNotFoundResponse({ description: 'not_found' })
  async getNetwork(@Param('id') networkId: string): Promise<NetworkView> {
    return toNetworkView(await this.networks.byId(networkId));
  }
}
