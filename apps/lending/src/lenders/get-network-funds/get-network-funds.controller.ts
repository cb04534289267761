import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { inPath, Policy, statedPaise } from '@sangam/platform';

export class NetworkFundsView {
  @ApiProperty({ format: 'uuid' }) networkId: string;
  @ApiProperty({ type: 'integer', description: "Fees paid and contributions, as lending knows them from groups' events, paise" })
  raised: number;
  @ApiProperty({ type: 'integer', description: 'Principal disbursed from the common fund, paise' }) lentOut: number;
  @ApiProperty({ type: 'integer', description: 'Principal and interest repaid on those loans, paise' }) repaidIn: number;
  @ApiProperty({ type: 'integer', description: 'raised - lentOut + repaidIn: what a common-fund loan may still take, paise' })
  available: number;
}

/**
 * Lending's own view of a network's common fund, the one it refuses insufficient_funds on: open
 * to the network's officers and to auditors, so that `npm run reconcile` can hold it against
 * groups and reporting.
 */
@ApiTags('lenders')
@Controller('networks')
export class GetNetworkFundsController {
  constructor(private readonly dataSource: DataSource) {}

  @Get(':id/funds')
  @Policy(['field-officer', 'approver'], inPath('network'))
  @ApiBearerAuth()
  @ApiOkResponse({ type: NetworkFundsView, description: 'A network lending has not heard of shows zeros' })
  async funds(@Param('id') networkId: string): Promise<NetworkFundsView> {
    const [row]: { raised: string; lent_out: string; repaid_in: string }[] = await this.dataSource.query(
      `SELECT raised, lent_out, repaid_in FROM lender_funds WHERE lender_type = 'network' AND lender_id = $1`,
      [networkId],
    );
    const [raised, lentOut, repaidIn] = [row?.raised, row?.lent_out, row?.repaid_in].map((value) => BigInt(value ?? 0));
    return {
      networkId,
      // lentOut and repaidIn add up every loan of the fund over the years: past 2^53 - 1 paise, 422 amount_too_large.
      raised: statedPaise(raised),
      lentOut: statedPaise(lentOut),
      repaidIn: statedPaise(repaidIn),
      available: statedPaise(raised - lentOut + repaidIn),
    };
  }
}
