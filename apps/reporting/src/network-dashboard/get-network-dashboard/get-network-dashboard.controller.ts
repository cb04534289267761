import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { NotFoundError } from '@sangam/domain';
import { loanBookProjection } from '../../loan-book/loan-book.projection';
import { readLive } from '../../projections/generations';
import { AsOfQuery } from '../../shared/as-of.query';
import { today } from '../../shared/business-date';
import { networkDashboardProjection } from '../network-dashboard.projection';
import { readNetworkDashboard } from './network-dashboard.query';
import { NetworkDashboardView } from './network-dashboard.view';
import { Policy, inPath } from '@sangam/platform';

@ApiTags('networks')
@Controller('networks')
export class GetNetworkDashboardController {
  constructor(private readonly dataSource: DataSource) {}

  @Get(':id/dashboard')
  @Policy(['field-officer', 'approver', 'bank-officer'], inPath('network'))
  @ApiBearerAuth()
  @ApiOperation({ summary: "A network's members, common fund, fees, credit lines and loan book (as of asOf)" })
  @ApiOkResponse({ type: NetworkDashboardView })
  @ApiBadRequestResponse({ description: 'asOf is not a real YYYY-MM-DD date' })
  @ApiNotFoundResponse({ description: 'No such network (or reporting has not seen it formed yet)' })
  async dashboard(@Param('id') networkId: string, @Query() query: AsOfQuery): Promise<NetworkDashboardView> {
    const dashboard = await readLive(this.dataSource, [networkDashboardProjection.name, loanBookProjection.name], (manager) =>
      readNetworkDashboard(manager, networkId, query.asOf ?? today()),
    );
    if (!dashboard) throw new NotFoundError('Network', networkId);
    return dashboard;
  }
}
