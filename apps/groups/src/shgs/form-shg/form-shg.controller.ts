import { randomUUID } from 'node:crypto';
import { Body, Controller, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import type { UnitOfWork } from '@sangam/event-store';
import { CommandMetadata, Created, CurrentCaller, Policy, RequestUnitOfWork, seesEverything, type Caller } from '@sangam/platform';
import { ShgCommandHandler } from '../shg.command-handler';
import { FormShgDto } from './form-shg.dto';

@ApiTags('shgs')
@Controller('shgs')
export class FormShgController {
  constructor(private readonly shgs: ShgCommandHandler) {}

  @Post()
  @Policy(['field-officer'])
  @ApiBearerAuth()
  @ApiCreatedResponse({ type: Created })
  async formShg(
    @Body() body: FormShgDto,
    @CurrentCaller() caller: Caller,
    @CommandMetadata() metadata: CommandMetadata,
    @RequestUnitOfWork() unit: UnitOfWork,
  ): Promise<Created> {
    const shgId = randomUUID();
    const { name, village, formedOn } = body;
    // A field officer works on the SHG they form; an admin sees every SHG anyway.
    const grantTo = caller.roles.includes('field-officer') && !seesEverything(caller) ? caller.userId : undefined;
    await this.shgs.handle(unit, shgId, { type: 'FormShg', data: { shgId, name, village, formedOn, grantTo }, metadata });
    return { id: shgId };
  }
}
