import { randomUUID } from 'node:crypto';
import { Body, Controller, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import type { EventMetadata } from '@sangam/event-store';
import { CommandMetadata, inPath, Policy } from '@sangam/platform';
import type { RepaymentReceivedData } from '../domain/loan.events';
import { LoanCommands } from '../loan-commands';
import { occurredOn } from '../occurred-on';
import { RecordedRepayment, RecordRepaymentDto } from './record-repayment.dto';

@ApiTags('loans')
@Controller('loans')
export class RecordRepaymentController {
  constructor(private readonly loans: LoanCommands) {}

  @Post(':id/repayments')
  @Policy(['field-officer'], inPath('loan'))
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Record a repayment',
    description: 'Allocated to the interest of installments due, then their principal, oldest first; then to later installments in turn. The loan closes when nothing is owed.',
  })
  @ApiCreatedResponse({ type: RecordedRepayment })
  @ApiUnprocessableEntityResponse({ description: 'loan_not_active, loan_overpayment; date_out_of_order: paidOn before the disbursement' })
  async repay(@Param('id') loanId: string, @Body() body: RecordRepaymentDto, @CommandMetadata() metadata: EventMetadata): Promise<RecordedRepayment> {
    const repaymentId = randomUUID();
    const { events } = await this.loans.run(
      loanId,
      () => ({ type: 'RecordRepayment', data: { loanId, repaymentId, amount: body.amount, paidOn: body.paidOn } }),
      occurredOn(metadata, body.paidOn),
    );
    const { allocation } = events[0].data as RepaymentReceivedData;
    return { id: repaymentId, allocation: { interest: allocation.interest, principal: allocation.principal } };
  }
}
