import { Body, Controller, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNotFoundResponse, ApiParam, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import type { UnitOfWork } from '@sangam/event-store';
import { CommandMetadata, inPath, Policy, RequestUnitOfWork } from '@sangam/platform';
import { FeeYear } from '../fee-year.pipe';
import { NetworkCommandHandler } from '../network.command-handler';
import { Assessed, AssessAnnualFeesDto } from './assess-annual-fees.dto';

@ApiTags('networks')
@Controller('networks/:id/fees/:year/assessments')
export class AssessAnnualFeesController {
  constructor(private readonly networks: NetworkCommandHandler) {}

  @Post()
  @Policy(['field-officer'], inPath('network'))
  @ApiBearerAuth()
  @ApiParam({
    name: 'year',
    example: '2005',
    description: 'Four digits, from the year of BUSINESS_DATE_MIN (default 1980) to the year of the latest date a fact may carry',
  })
  @ApiCreatedResponse({
    type: Assessed,
    description: 'SHGs that are members on assessedOn and not yet assessed for the year; a zero annual fee is assessed at 0',
  })
  @ApiUnprocessableEntityResponse({
    description:
      "date_out_of_order: assessedOn before the network was formed, or a year before its formation year; amount_too_large: the year's fees would pass 2^53 - 1 paise",
  })
  @ApiNotFoundResponse({ description: 'not_found' })
  async assess(
    @Param('id') networkId: string,
    @FeeYear() year: number,
    @Body() body: AssessAnnualFeesDto,
    @CommandMetadata() metadata: CommandMetadata,
    @RequestUnitOfWork() unit: UnitOfWork,
  ): Promise<Assessed> {
    const { events } = await this.networks.handle(unit, networkId, {
      type: 'AssessAnnualFees',
      data: { networkId, year, assessedOn: body.assessedOn },
      metadata,
    });
    return { assessed: events.length };
  }
}
