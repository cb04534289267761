import { randomUUID } from 'node:crypto';
import { Body, Controller, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import type { UnitOfWork } from '@sangam/event-store';
import { CommandMetadata, inPath, Policy, RequestUnitOfWork } from '@sangam/platform';
import type { RepaymentReceivedData } from '../domain/loan.events';
import { LoanCommandHandler } from '../loan.command-handler';
import { occurredOn } from '../occurred-on';
import { RecordedRepayment, RecordRepaymentDto } from './record-repayment.dto';

@ApiTags('loans')
@Controller('loans')
export class RecordRepaymentController {
  constructor(private readonly loans: LoanCommandHandler) {}

  @Post(':id/repayments')
  @Policy(['field-officer'], inPath('loan'))
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Record a repayment',
    description:
      'Allocated to the interest of installments due, then their principal, oldest first; then to later installments in turn. The loan closes when nothing is owed.',
  })
  @ApiCreatedResponse({ type: RecordedRepayment })
  @ApiUnprocessableEntityResponse({ description: 'loan_not_active, loan_overpayment; date_out_of_order: paidOn before the disbursement' })
  async repay(
    @Param('id') loanId: string,
    @Body() body: RecordRepaymentDto,
    @CommandMetadata() metadata: CommandMetadata,
    @RequestUnitOfWork() unit: UnitOfWork,
  ): Promise<RecordedRepayment> {
    const repaymentId = randomUUID();
    const { amount, paidOn } = body;
    const command = {
      type: 'RecordRepayment' as const,
      data: { loanId, repaymentId, amount, paidOn },
      metadata: occurredOn(metadata, paidOn),
    };
    const { events } = await this.loans.handle(unit, loanId, command);
    const { allocation } = events[0].data as RepaymentReceivedData;
    return { id: repaymentId, allocation: { interest: allocation.interest, principal: allocation.principal } };
  }
}
