import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { NotFoundError } from '@sangam/domain';
import { findNetwork } from '../../network-dashboard/networks';
import { networkDashboardProjection } from '../../network-dashboard/network-dashboard.projection';
import { readLive } from '../../projections/generations';
import { AsOfQuery } from '../../shared/as-of.query';
import { today } from '../../shared/business-date';
import { loansLentByNetwork } from '../booked-loans';
import { loanBookProjection } from '../loan-book.projection';
import { positionOf } from '../loan-position';
import { NetworkLoanView } from './network-loan.view';
import { Policy, inPath } from '@sangam/platform';

@ApiTags('networks')
@Controller('networks')
export class GetNetworkLoansController {
  constructor(private readonly dataSource: DataSource) {}

  @Get(':id/loans')
  @Policy(['field-officer', 'approver'], inPath('network'))
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The loans a network lends, in the order they were applied for' })
  @ApiOkResponse({ type: [NetworkLoanView] })
  @ApiBadRequestResponse({ description: 'asOf is not a real YYYY-MM-DD date' })
  @ApiNotFoundResponse({ description: 'No such network (or reporting has not seen it formed yet)' })
  async loans(@Param('id') networkId: string, @Query() query: AsOfQuery): Promise<NetworkLoanView[]> {
    const asOf = query.asOf ?? today();
    const loans = await readLive(this.dataSource, [networkDashboardProjection.name, loanBookProjection.name], async (manager) =>
      (await findNetwork(manager, networkId)) ? loansLentByNetwork(manager, networkId, asOf) : null,
    );
    if (!loans) throw new NotFoundError('Network', networkId);
    return loans.map((loan) => {
      const { outstandingPrincipal, daysPastDue } = positionOf(loan, asOf);
      return {
        id: loan.id,
        borrowerShgId: loan.borrower.id,
        purpose: loan.purpose,
        principal: loan.principal,
        outstandingPrincipal,
        status: loan.status,
        daysPastDue,
      };
    });
  }
}
