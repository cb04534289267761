import { randomUUID } from 'node:crypto';
import { Body, Controller, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNotFoundResponse, ApiParam, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import type { UnitOfWork } from '@sangam/event-store';
import { CommandMetadata, Created, inBody, inPath, Policy, RequestUnitOfWork } from '@sangam/platform';
import { GroupStreams } from '../../group-streams';
import { FeeYear } from '../fee-year.pipe';
import { PayAnnualFeeDto } from './pay-annual-fee.dto';
import { payAnnualFee } from './pay-annual-fee.handler';

@ApiTags('networks')
@Controller('networks/:id/fees/:year/payments')
export class PayAnnualFeeController {
  constructor(private readonly streams: GroupStreams) {}

  @Post()
  @Policy(['field-officer'], inPath('network'), inBody('shg', 'shgId'))
  @ApiBearerAuth()
  @ApiParam({
    name: 'year',
    example: '2005',
    description: 'Four digits, from the year of BUSINESS_DATE_MIN (default 1980) to the year of the latest date a fact may carry',
  })
  @ApiCreatedResponse({ type: Created, description: 'Partial payments are allowed; paid fees go into the common fund' })
  @ApiNotFoundResponse({ description: 'not_found: unknown network or SHG' })
  @ApiUnprocessableEntityResponse({
    description:
      'fee_not_assessed; fee_overpayment: more than the fee still owed (any payment to a zero fee); date_out_of_order: before the assessment; amount_too_large: the common fund would pass 2^53 - 1 paise',
  })
  async pay(
    @Param('id') networkId: string,
    @FeeYear() year: number,
    @Body() body: PayAnnualFeeDto,
    @CommandMetadata() metadata: CommandMetadata,
    @RequestUnitOfWork() unit: UnitOfWork,
  ): Promise<Created> {
    const paymentId = randomUUID();
    const { shgId, amount, paidOn } = body;
    await payAnnualFee(this.streams, unit, { type: 'PayAnnualFee', data: { networkId, paymentId, shgId, year, amount, paidOn }, metadata });
    return { id: paymentId };
  }
}
