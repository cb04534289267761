import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiConflictResponse, ApiOperation, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import type { EventMetadata } from '@sangam/event-store';
import { type Caller, CommandMetadata, CurrentCaller, inPath, Policy } from '@sangam/platform';
import { lockAvailableFunds } from '../../lenders/projections/lender-funds';
import { isFundedFromCommonFund } from '../domain/loan.decider';
import { LoanCommands } from '../loan-commands';
import { LoanStatusChange, statusChange } from '../loan.responses';
import { occurredOn } from '../occurred-on';
import { DisburseLoanDto } from './disburse-loan.dto';

@ApiTags('loans')
@Controller('loans')
export class DisburseLoanController {
  constructor(private readonly loans: LoanCommands) {}

  @Post(':id/disbursement')
  @Policy(['approver'], inPath('loan'))
  @ApiBearerAuth()
  @HttpCode(202)
  @ApiOperation({
    summary: 'Disburse an approved loan',
    description:
      'From the common fund the network\'s available funds (as lending knows them from events) are checked at once and the loan is active when this answers. ' +
      'From a credit line or an SHG\'s savings the loan is disbursement_pending until the owner of the money answers through Kafka: ' +
      'bank-linkage draws the line, groups lends the savings (active), or either refuses (funding_failed, with the reason).',
  })
  @ApiAcceptedResponse({ type: LoanStatusChange })
  @ApiConflictResponse({ description: 'The loan is not approved' })
  @ApiUnprocessableEntityResponse({ description: 'insufficient_funds; date_out_of_order: disbursedOn before approvedOn' })
  async disburse(@Param('id') loanId: string, @Body() body: DisburseLoanDto, @CurrentCaller() caller: Caller, @CommandMetadata() metadata: EventMetadata): Promise<LoanStatusChange> {
    const { state } = await this.loans.run(
      loanId,
      async (loan, manager) => ({
        type: 'DisburseLoan',
        data: {
          loanId,
          disbursedOn: body.disbursedOn,
          by: caller.userId,
          availableFunds: loan.status !== 'none' && isFundedFromCommonFund(loan) ? await lockAvailableFunds(manager, loan.terms.lender) : undefined,
        },
      }),
      occurredOn(metadata, body.disbursedOn),
    );
    return statusChange(loanId, state);
  }
}
