import { randomUUID } from 'node:crypto';
import { Body, Controller, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import type { UnitOfWork } from '@sangam/event-store';
import { CommandMetadata, Created, inPath, Policy, RequestUnitOfWork } from '@sangam/platform';
import { CreditLineCommandHandler } from '../credit-line.command-handler';
import { recordedUnder } from '../domain/credit-line.decider';
import { DrawCreditDto } from './draw-credit.dto';

@ApiTags('credit lines')
@Controller('credit-lines/:id/drawdowns')
export class DrawCreditController {
  constructor(private readonly creditLines: CreditLineCommandHandler) {}

  /** A drawdown already recorded under the same bank reference (say, by a webhook) answers with its id. */
  @Post()
  @Policy(['bank-officer'], inPath('credit-line'))
  @ApiBearerAuth()
  @ApiCreatedResponse({ type: Created })
  @ApiUnprocessableEntityResponse({ description: 'insufficient_credit, credit_line_expired; date_out_of_order: before the sanction' })
  async draw(
    @Param('id') creditLineId: string,
    @Body() body: DrawCreditDto,
    @CommandMetadata() metadata: CommandMetadata,
    @RequestUnitOfWork() unit: UnitOfWork,
  ): Promise<Created> {
    const bankReference = body.bankReference ?? null;
    const drawdownId = randomUUID();
    const command = { type: 'DrawCredit' as const, data: { creditLineId, drawdownId, ...body, bankReference, loan: null }, metadata };
    const { state } = await this.creditLines.handle(unit, creditLineId, command);
    const recorded = recordedUnder(state, bankReference, 'drawdown');
    return { id: recorded?.drawdownId ?? drawdownId };
  }
}
