import { randomUUID } from 'node:crypto';
import { Body, Controller, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { PostgresEventStore, type EventMetadata } from '@sangam/event-store';
import { CommandMetadata, Created, Policy } from '@sangam/platform';
import { executeNetworkCommand } from '../network.stream';
import { FormNetworkDto } from './form-network.dto';

@ApiTags('networks')
@Controller('networks')
export class FormNetworkController {
  constructor(private readonly store: PostgresEventStore) {}

  @Post()
  @Policy([])
  @ApiBearerAuth()
  @ApiCreatedResponse({ type: Created })
  async formNetwork(@Body() body: FormNetworkDto, @CommandMetadata() metadata: EventMetadata): Promise<Created> {
    const networkId = randomUUID();
    const { name, cluster, formedOn, annualFee } = body;
    await executeNetworkCommand(this.store, { type: 'FormNetwork', networkId, name, cluster, formedOn, annualFee }, metadata);
    return { id: networkId };
  }
}
