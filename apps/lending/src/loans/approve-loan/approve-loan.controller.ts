import { Body, Controller, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { EventMetadata } from '@sangam/event-store';
import { type Caller, CommandMetadata, CurrentCaller, inPath, Policy } from '@sangam/platform';
import { LoanCommands } from '../loan-commands';
import { LoanStatusChange, statusChange } from '../loan.responses';
import { occurredOn } from '../occurred-on';
import { ApproveLoanDto } from './approve-loan.dto';

@ApiTags('loans')
@Controller('loans')
export class ApproveLoanController {
  constructor(private readonly loans: LoanCommands) {}

  @Post(':id/approval')
  @Policy(['approver'], inPath('loan'))
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Approve an applied loan' })
  @ApiCreatedResponse({ type: LoanStatusChange })
  @ApiConflictResponse({ description: 'The loan is not in status applied' })
  async approve(@Param('id') loanId: string, @Body() body: ApproveLoanDto, @CurrentCaller() caller: Caller, @CommandMetadata() metadata: EventMetadata): Promise<LoanStatusChange> {
    const { state } = await this.loans.run(
      loanId,
      () => ({ type: 'ApproveLoan', data: { loanId, approvedOn: body.approvedOn, by: caller.userId } }),
      occurredOn(metadata, body.approvedOn),
    );
    return statusChange(loanId, state);
  }
}
