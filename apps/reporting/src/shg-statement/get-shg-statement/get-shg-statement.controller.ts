import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { NotFoundError } from '@sangam/domain';
import { loanBookProjection } from '../../loan-book/loan-book.projection';
import { networkDashboardProjection } from '../../network-dashboard/network-dashboard.projection';
import { readLive } from '../../projections/generations';
import { AsOfQuery } from '../../shared/as-of.query';
import { today } from '../../shared/business-date';
import { shgStatementProjection } from '../shg-statement.projection';
import { readShgStatement } from './shg-statement.query';
import { ShgStatementView } from './shg-statement.view';
import { Policy, inPath } from '@sangam/platform';

@ApiTags('shgs')
@Controller('shgs')
export class GetShgStatementController {
  constructor(private readonly dataSource: DataSource) {}

  @Get(':id/statement')
  @Policy(['field-officer', 'approver', 'bank-officer'], inPath('shg'))
  @ApiBearerAuth()
  @ApiOperation({ summary: "An SHG's savings, pooled savings, fees owed by year and loans (loan figures as of asOf)" })
  @ApiOkResponse({ type: ShgStatementView })
  @ApiBadRequestResponse({ description: 'asOf is not a real YYYY-MM-DD date' })
  @ApiNotFoundResponse({ description: 'No such SHG (or reporting has not seen it formed yet)' })
  async statement(@Param('id') shgId: string, @Query() query: AsOfQuery): Promise<ShgStatementView> {
    const projections = [shgStatementProjection.name, networkDashboardProjection.name, loanBookProjection.name];
    const statement = await readLive(this.dataSource, projections, (manager) => readShgStatement(manager, shgId, query.asOf ?? today()));
    if (!statement) throw new NotFoundError('SHG', shgId);
    return statement;
  }
}
