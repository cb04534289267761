import { randomUUID } from 'node:crypto';
import { Body, Controller, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { PostgresEventStore, type EventMetadata } from '@sangam/event-store';
import { CommandMetadata, Created, inPath, Policy } from '@sangam/platform';
import { executeCreditLineCommand } from '../credit-line.stream';
import { recordedUnder } from '../domain/credit-line.decider';
import { DrawCreditDto } from './draw-credit.dto';

@ApiTags('credit lines')
@Controller('credit-lines/:id/drawdowns')
export class DrawCreditController {
  constructor(private readonly store: PostgresEventStore) {}

  /** A drawdown already recorded under the same bank reference (say, by a webhook) answers with its id. */
  @Post()
  @Policy(['bank-officer'], inPath('credit-line'))
  @ApiBearerAuth()
  @ApiCreatedResponse({ type: Created })
  @ApiUnprocessableEntityResponse({ description: 'insufficient_credit, credit_line_expired; date_out_of_order: before the sanction' })
  async draw(@Param('id') creditLineId: string, @Body() body: DrawCreditDto, @CommandMetadata() metadata: EventMetadata): Promise<Created> {
    const bankReference = body.bankReference ?? null;
    const command = { type: 'DrawCredit' as const, creditLineId, drawdownId: randomUUID(), ...body, bankReference, loan: null };
    const { state } = await executeCreditLineCommand(this.store, command, metadata);
    const recorded = recordedUnder(state, bankReference, 'drawdown');
    return { id: recorded?.drawdownId ?? command.drawdownId };
  }
}
