import { randomUUID } from 'node:crypto';
import { Body, Controller, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { PostgresEventStore, type EventMetadata } from '@sangam/event-store';
import { CommandMetadata, inPath, Policy } from '@sangam/platform';
import { executeCreditLineCommand } from '../credit-line.stream';
import { recordedUnder } from '../domain/credit-line.decider';
import { RepayCreditDto, RepaymentResponse } from './repay-credit.dto';

@ApiTags('credit lines')
@Controller('credit-lines/:id/repayments')
export class RepayCreditController {
  constructor(private readonly store: PostgresEventStore) {}

  /** Charged interest first, then principal; a repayment already recorded under the same bank reference answers as it did. */
  @Post()
  @Policy(['bank-officer'], inPath('credit-line'))
  @ApiBearerAuth()
  @ApiCreatedResponse({ type: RepaymentResponse })
  @ApiUnprocessableEntityResponse({ description: 'credit_overpayment; date_out_of_order: paying principal before the first drawdown, or interest before the first charge' })
  async repay(@Param('id') creditLineId: string, @Body() body: RepayCreditDto, @CommandMetadata() metadata: EventMetadata): Promise<RepaymentResponse> {
    const bankReference = body.bankReference ?? null;
    const command = { type: 'RepayCredit' as const, creditLineId, repaymentId: randomUUID(), ...body, bankReference };
    const { events, state } = await executeCreditLineCommand(this.store, command, metadata);
    const recorded = recordedUnder(state, bankReference, 'repayment');
    if (recorded) return { id: recorded.repaymentId, allocation: recorded.allocation };
    return { id: command.repaymentId, allocation: events[0].data.allocation };
  }
}
