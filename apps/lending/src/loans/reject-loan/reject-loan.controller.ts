import { Body, Controller, Param, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { EventMetadata } from '@sangam/event-store';
import { CommandMetadata } from '@sangam/platform';
import { LoanCommands } from '../loan-commands';
import { LoanStatusChange, statusChange } from '../loan.responses';
import { RejectLoanDto } from './reject-loan.dto';

@ApiTags('loans')
@Controller('loans')
export class RejectLoanController {
  constructor(private readonly loans: LoanCommands) {}

  @Post(':id/rejection')
  @ApiOperation({ summary: 'Reject an applied loan' })
  @ApiCreatedResponse({ type: LoanStatusChange })
  @ApiConflictResponse({ description: 'The loan is not in status applied' })
  async reject(@Param('id') loanId: string, @Body() body: RejectLoanDto, @CommandMetadata() metadata: EventMetadata): Promise<LoanStatusChange> {
    const { state } = await this.loans.run(
      loanId,
      () => ({ type: 'RejectLoan', data: { loanId, reason: body.reason, rejectedAt: new Date().toISOString() } }),
      metadata,
    );
    return statusChange(loanId, state);
  }
}
