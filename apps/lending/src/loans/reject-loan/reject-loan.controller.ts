import { Body, Controller, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { EventMetadata } from '@sangam/event-store';
import { type Caller, CommandMetadata, CurrentCaller, inPath, Policy } from '@sangam/platform';
import { LoanCommands } from '../loan-commands';
import { LoanStatusChange, statusChange } from '../loan.responses';
import { RejectLoanDto } from './reject-loan.dto';

@ApiTags('loans')
@Controller('loans')
export class RejectLoanController {
  constructor(private readonly loans: LoanCommands) {}

  @Post(':id/rejection')
  @Policy(['approver'], inPath('loan'))
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Reject an applied loan' })
  @ApiCreatedResponse({ type: LoanStatusChange })
  @ApiConflictResponse({ description: 'The loan is not in status applied' })
  async reject(@Param('id') loanId: string, @Body() body: RejectLoanDto, @CurrentCaller() caller: Caller, @CommandMetadata() metadata: EventMetadata): Promise<LoanStatusChange> {
    const { state } = await this.loans.run(
      loanId,
      () => ({ type: 'RejectLoan', data: { loanId, reason: body.reason, rejectedAt: new Date().toISOString(), by: caller.userId } }),
      metadata,
    );
    return statusChange(loanId, state);
  }
}
