import { randomUUID } from 'node:crypto';
import { Body, Controller, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { PostgresEventStore, type EventMetadata } from '@sangam/event-store';
import { CommandMetadata, Created } from '@sangam/platform';
import { executeShgCommand } from '../shg.stream';
import { FormShgDto } from './form-shg.dto';

@ApiTags('shgs')
@Controller('shgs')
export class FormShgController {
  constructor(private readonly store: PostgresEventStore) {}

  @Post()
  @ApiCreatedResponse({ type: Created })
  async formShg(@Body() body: FormShgDto, @CommandMetadata() metadata: EventMetadata): Promise<Created> {
    const shgId = randomUUID();
    await executeShgCommand(this.store, { type: 'FormShg', shgId, name: body.name, village: body.village, formedOn: body.formedOn }, metadata);
    return { id: shgId };
  }
}
