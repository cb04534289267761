import { Body, Controller, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { UnitOfWork } from '@sangam/event-store';
import { type Caller, CommandMetadata, CurrentCaller, inPath, Policy, RequestUnitOfWork } from '@sangam/platform';
import { LoanCommandHandler } from '../loan.command-handler';
import { LoanStatusChange, statusChange } from '../loan.responses';
import { RejectLoanDto } from './reject-loan.dto';

@ApiTags('loans')
@Controller('loans')
export class RejectLoanController {
  constructor(private readonly loans: LoanCommandHandler) {}

  @Post(':id/rejection')
  @Policy(['approver'], inPath('loan'))
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Reject an applied loan' })
  @ApiCreatedResponse({ type: LoanStatusChange })
  @ApiConflictResponse({ description: 'The loan is not in status applied' })
  async reject(
    @Param('id') loanId: string,
    @Body() body: RejectLoanDto,
    @CurrentCaller() caller: Caller,
    @CommandMetadata() metadata: CommandMetadata,
    @RequestUnitOfWork() unit: UnitOfWork,
  ): Promise<LoanStatusChange> {
    const data = { loanId, reason: body.reason, rejectedAt: new Date().toISOString(), by: caller.userId };
    return statusChange(loanId, (await this.loans.handle(unit, loanId, { type: 'RejectLoan', data, metadata })).state);
  }
}
