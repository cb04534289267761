import { randomUUID } from 'node:crypto';
import { Body, Controller, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNotFoundResponse, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { PostgresEventStore, type EventMetadata } from '@sangam/event-store';
import { CommandMetadata, Created, inPath, Policy } from '@sangam/platform';
import { executeShgCommand } from '../shg.stream';
import { WithdrawSavingsDto } from './withdraw-savings.dto';

@ApiTags('shgs')
@Controller('shgs/:id/savings/withdrawals')
export class WithdrawSavingsController {
  constructor(private readonly store: PostgresEventStore) {}

  @Post()
  @Policy(['field-officer'], inPath('shg'))
  @ApiBearerAuth()
  @ApiCreatedResponse({ type: Created })
  @ApiNotFoundResponse({ description: 'not_found' })
  @ApiUnprocessableEntityResponse({
    description: "unknown_member; insufficient_savings: more than the member's savings or the SHG's free (unpooled) savings; date_out_of_order: before the SHG was formed",
  })
  async withdraw(@Param('id') shgId: string, @Body() body: WithdrawSavingsDto, @CommandMetadata() metadata: EventMetadata): Promise<Created> {
    const withdrawalId = randomUUID();
    const { memberId, amount, withdrawnOn } = body;
    await executeShgCommand(this.store, { type: 'WithdrawSavings', shgId, withdrawalId, memberId, amount, withdrawnOn }, metadata);
    return { id: withdrawalId };
  }
}
