import { Body, Controller, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { UnitOfWork } from '@sangam/event-store';
import { type Caller, CommandMetadata, CurrentCaller, inPath, Policy, RequestUnitOfWork } from '@sangam/platform';
import { LoanCommandHandler } from '../loan.command-handler';
import { LoanStatusChange, statusChange } from '../loan.responses';
import { occurredOn } from '../occurred-on';
import { ApproveLoanDto } from './approve-loan.dto';

@ApiTags('loans')
@Controller('loans')
export class ApproveLoanController {
  constructor(private readonly loans: LoanCommandHandler) {}

  @Post(':id/approval')
  @Policy(['approver'], inPath('loan'))
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Approve an applied loan' })
  @ApiCreatedResponse({ type: LoanStatusChange })
  @ApiConflictResponse({ description: 'The loan is not in status applied' })
  async approve(
    @Param('id') loanId: string,
    @Body() body: ApproveLoanDto,
    @CurrentCaller() caller: Caller,
    @CommandMetadata() metadata: CommandMetadata,
    @RequestUnitOfWork() unit: UnitOfWork,
  ): Promise<LoanStatusChange> {
    const { approvedOn } = body;
    const command = {
      type: 'ApproveLoan' as const,
      data: { loanId, approvedOn, by: caller.userId },
      metadata: occurredOn(metadata, approvedOn),
    };
    return statusChange(loanId, (await this.loans.handle(unit, loanId, command)).state);
  }
}
