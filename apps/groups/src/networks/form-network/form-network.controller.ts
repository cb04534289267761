import { randomUUID } from 'node:crypto';
import { Body, Controller, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import type { UnitOfWork } from '@sangam/event-store';
import { CommandMetadata, Created, Policy, RequestUnitOfWork } from '@sangam/platform';
import { NetworkCommandHandler } from '../network.command-handler';
import { FormNetworkDto } from './form-network.dto';

@ApiTags('networks')
@Controller('networks')
export class FormNetworkController {
  constructor(private readonly networks: NetworkCommandHandler) {}

  @Post()
  @Policy([])
  @ApiBearerAuth()
  @ApiCreatedResponse({ type: Created })
  async formNetwork(
    @Body() body: FormNetworkDto,
    @CommandMetadata() metadata: CommandMetadata,
    @RequestUnitOfWork() unit: UnitOfWork,
  ): Promise<Created> {
    const networkId = randomUUID();
    const { name, cluster, formedOn, annualFee } = body;
    await this.networks.handle(unit, networkId, { type: 'FormNetwork', data: { networkId, name, cluster, formedOn, annualFee }, metadata });
    return { id: networkId };
  }
}
