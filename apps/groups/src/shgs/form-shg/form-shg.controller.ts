import { randomUUID } from 'node:crypto';
import { Body, Controller, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { PostgresEventStore, type EventMetadata } from '@sangam/event-store';
import { CommandMetadata, Created, CurrentCaller, Policy, seesEverything, type Caller } from '@sangam/platform';
import { executeShgCommand } from '../shg.stream';
import { FormShgDto } from './form-shg.dto';

@ApiTags('shgs')
@Controller('shgs')
export class FormShgController {
  constructor(private readonly store: PostgresEventStore) {}

  @Post()
  @Policy(['field-officer'])
  @ApiBearerAuth()
  @ApiCreatedResponse({ type: Created })
  async formShg(@Body() body: FormShgDto, @CurrentCaller() caller: Caller, @CommandMetadata() metadata: EventMetadata): Promise<Created> {
    const shgId = randomUUID();
    const { name, village, formedOn } = body;
    // A field officer works on the SHG they form; an admin sees every SHG anyway.
    const grantTo = caller.roles.includes('field-officer') && !seesEverything(caller) ? caller.userId : undefined;
    await executeShgCommand(this.store, { type: 'FormShg', shgId, name, village, formedOn, grantTo }, metadata);
    return { id: shgId };
  }
}
