import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { UnitOfWork } from '@sangam/event-store';
import { type Caller, CommandMetadata, CurrentCaller, inPath, Policy, RequestUnitOfWork } from '@sangam/platform';
import { LoanCommandHandler } from '../loan.command-handler';
import { LoanStatusChange } from '../loan.responses';
import { occurredOn } from '../occurred-on';
import { DisburseLoanDto } from './disburse-loan.dto';
import { disburseLoan } from './disburse-loan.handler';

@ApiTags('loans')
@Controller('loans')
export class DisburseLoanController {
  constructor(private readonly loans: LoanCommandHandler) {}

  @Post(':id/disbursement')
  @Policy(['approver'], inPath('loan'))
  @ApiBearerAuth()
  @HttpCode(202)
  @ApiOperation({
    summary: 'Disburse an approved loan',
    description:
      "From the common fund the network's available funds (as lending knows them from events) are checked at once and the loan is active when this answers. " +
      "From a credit line or an SHG's savings the loan is disbursement_pending until the owner of the money answers through Kafka: " +
      'bank-linkage draws the line, groups lends the savings (active), or either refuses (funding_failed, with the reason).',
  })
  @ApiAcceptedResponse({ type: LoanStatusChange })
  @ApiConflictResponse({ description: 'The loan is not approved' })
  @ApiUnprocessableEntityResponse({ description: 'insufficient_funds; date_out_of_order: disbursedOn before approvedOn' })
  disburse(
    @Param('id') loanId: string,
    @Body() body: DisburseLoanDto,
    @CurrentCaller() caller: Caller,
    @CommandMetadata() metadata: CommandMetadata,
    @RequestUnitOfWork() unit: UnitOfWork,
  ): Promise<LoanStatusChange> {
    const { disbursedOn } = body;
    return disburseLoan(this.loans, unit, {
      type: 'DisburseLoan',
      data: { loanId, disbursedOn, by: caller.userId },
      metadata: occurredOn(metadata, disbursedOn),
    });
  }
}
