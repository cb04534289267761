import { randomUUID } from 'node:crypto';
import { Body, Controller, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import type { EventMetadata } from '@sangam/event-store';
import { type Caller, CommandMetadata, Created, CurrentCaller, partyInBody, Policy } from '@sangam/platform';
import { lendingRelation } from '../../lenders/projections/membership';
import { LoanCommands } from '../loan-commands';
import { ApplyForLoanDto } from './apply-for-loan.dto';

@ApiTags('loans')
@Controller('loans')
export class ApplyForLoanController {
  constructor(private readonly loans: LoanCommands) {}

  @Post()
  @Policy(['field-officer'], partyInBody('lender'))
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Apply for a loan (status applied)' })
  @ApiCreatedResponse({ type: Created })
  @ApiUnprocessableEntityResponse({ description: 'borrower_not_in_network (network loans), borrower_not_in_shg (SHG loans to members)' })
  async apply(@Body() body: ApplyForLoanDto, @CurrentCaller() caller: Caller, @CommandMetadata() metadata: EventMetadata): Promise<Created> {
    const loanId = randomUUID();
    const { lender, borrower, funding } = body;
    await this.loans.run(
      loanId,
      async (_, manager) => ({
        type: 'ApplyForLoan',
        data: {
          loanId,
          lender: { type: lender.type, id: lender.id },
          borrower: { type: borrower.type, id: borrower.id },
          ...(await lendingRelation(manager, lender, borrower)),
          principal: body.principal,
          annualInterestRateBps: body.annualInterestRateBps,
          termMonths: body.termMonths,
          interestMethod: body.interestMethod,
          purpose: body.purpose,
          funding: { source: funding.source, creditLineId: funding.creditLineId ?? null },
          appliedAt: new Date().toISOString(),
          appliedBy: caller.userId,
        },
      }),
      metadata,
    );
    return { id: loanId };
  }
}
