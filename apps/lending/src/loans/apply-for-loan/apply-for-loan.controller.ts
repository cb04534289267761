import { randomUUID } from 'node:crypto';
import { Body, Controller, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import type { UnitOfWork } from '@sangam/event-store';
import { type Caller, CommandMetadata, Created, CurrentCaller, partyInBody, Policy, RequestUnitOfWork } from '@sangam/platform';
import { LoanCommandHandler } from '../loan.command-handler';
import { ApplyForLoanDto } from './apply-for-loan.dto';
import { applyForLoan } from './apply-for-loan.handler';

@ApiTags('loans')
@Controller('loans')
export class ApplyForLoanController {
  constructor(private readonly loans: LoanCommandHandler) {}

  @Post()
  @Policy(['field-officer'], partyInBody('lender'))
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Apply for a loan (status applied)' })
  @ApiCreatedResponse({ type: Created })
  @ApiUnprocessableEntityResponse({ description: 'borrower_not_in_network (network loans), borrower_not_in_shg (SHG loans to members)' })
  async apply(
    @Body() body: ApplyForLoanDto,
    @CurrentCaller() caller: Caller,
    @CommandMetadata() metadata: CommandMetadata,
    @RequestUnitOfWork() unit: UnitOfWork,
  ): Promise<Created> {
    const loanId = randomUUID();
    const { lender, borrower, funding } = body;
    const data = {
      loanId,
      lender: { type: lender.type, id: lender.id },
      borrower: { type: borrower.type, id: borrower.id },
      principal: body.principal,
      annualInterestRateBps: body.annualInterestRateBps,
      termMonths: body.termMonths,
      interestMethod: body.interestMethod,
      purpose: body.purpose,
      funding: { source: funding.source, creditLineId: funding.creditLineId ?? null },
      appliedAt: new Date().toISOString(),
      appliedBy: caller.userId,
    };
    await applyForLoan(this.loans, unit, { type: 'ApplyForLoan', data, metadata });
    return { id: loanId };
  }
}
