import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { LoanErrors } from '../domain/loan.errors';
import { LoanQuery } from '../loan.query';
import { GetLoanQuery } from './get-loan.dto';
import { LoanView, toLoanView } from './loan.view';
import { Policy, inPath } from '@sangam/platform';

@ApiTags('loans')
@Controller('loans')
export class GetLoanController {
  constructor(private readonly loans: LoanQuery) {}

  @Get(':id')
  @Policy(['field-officer', 'approver'], inPath('loan'))
  @ApiBearerAuth()
  @ApiOperation({ summary: 'A loan with its schedule, what was paid and how many days it is past due' })
  @ApiOkResponse({ type: LoanView })
  @ApiNotFoundResponse()
  async get(@Param('id') loanId: string, @Query() query: GetLoanQuery): Promise<LoanView> {
    const loan = await this.loans.byId(loanId);
    if (loan.status === 'none') throw LoanErrors.notFound(loanId);
    return toLoanView(loan, query.asOf ?? new Date().toISOString().slice(0, 10));
  }
}
