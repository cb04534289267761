import { randomUUID } from 'node:crypto';
import { Body, Controller, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNotFoundResponse, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { PostgresEventStore, type EventMetadata } from '@sangam/event-store';
import { CommandMetadata, Created, inPath, Policy } from '@sangam/platform';
import { executeShgCommand } from '../shg.stream';
import { DepositSavingsDto } from './deposit-savings.dto';

@ApiTags('shgs')
@Controller('shgs/:id/savings/deposits')
export class DepositSavingsController {
  constructor(private readonly store: PostgresEventStore) {}

  @Post()
  @Policy(['field-officer'], inPath('shg'))
  @ApiBearerAuth()
  @ApiCreatedResponse({ type: Created })
  @ApiNotFoundResponse({ description: 'not_found' })
  @ApiUnprocessableEntityResponse({ description: "unknown_member; date_out_of_order: before the SHG was formed; amount_too_large: the SHG's savings would pass 2^53 - 1 paise" })
  async deposit(@Param('id') shgId: string, @Body() body: DepositSavingsDto, @CommandMetadata() metadata: EventMetadata): Promise<Created> {
    const depositId = randomUUID();
    const { memberId, amount, depositedOn } = body;
    await executeShgCommand(this.store, { type: 'DepositSavings', shgId, depositId, memberId, amount, depositedOn }, metadata);
    return { id: depositId };
  }
}
