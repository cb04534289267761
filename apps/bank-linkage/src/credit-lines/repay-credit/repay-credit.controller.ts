import { randomUUID } from 'node:crypto';
import { Body, Controller, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import type { UnitOfWork } from '@sangam/event-store';
import { CommandMetadata, inPath, Policy, RequestUnitOfWork } from '@sangam/platform';
import type { CreditRepaidData } from '@sangam/contracts';
import { CreditLineCommandHandler } from '../credit-line.command-handler';
import { recordedUnder } from '../domain/credit-line.decider';
import { RepayCreditDto, RepaymentResponse } from './repay-credit.dto';

@ApiTags('credit lines')
@Controller('credit-lines/:id/repayments')
export class RepayCreditController {
  constructor(private readonly creditLines: CreditLineCommandHandler) {}

  /** Charged interest first, then principal; a repayment already recorded under the same bank reference answers as it did. */
  @Post()
  @Policy(['bank-officer'], inPath('credit-line'))
  @ApiBearerAuth()
  @ApiCreatedResponse({ type: RepaymentResponse })
  @ApiUnprocessableEntityResponse({
    description: 'credit_overpayment; date_out_of_order: paying principal before the first drawdown, or interest before the first charge',
  })
  async repay(
    @Param('id') creditLineId: string,
    @Body() body: RepayCreditDto,
    @CommandMetadata() metadata: CommandMetadata,
    @RequestUnitOfWork() unit: UnitOfWork,
  ): Promise<RepaymentResponse> {
    const bankReference = body.bankReference ?? null;
    const repaymentId = randomUUID();
    const command = { type: 'RepayCredit' as const, data: { creditLineId, repaymentId, ...body, bankReference }, metadata };
    const { events, state } = await this.creditLines.handle(unit, creditLineId, command);
    const recorded = recordedUnder(state, bankReference, 'repayment');
    if (recorded) return { id: recorded.repaymentId, allocation: recorded.allocation };
    return { id: repaymentId, allocation: (events[0].data as CreditRepaidData).allocation };
  }
}
