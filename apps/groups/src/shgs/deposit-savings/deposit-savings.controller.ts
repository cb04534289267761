import { randomUUID } from 'node:crypto';
import { Body, Controller, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNotFoundResponse, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import {
  BatchedCommands,
  CommandMetadata,
  Created,
  inPath,
  KeyClaimOf,
  Policy,
  StreamBatches,
  type RequestKeyClaim,
} from '@sangam/platform';
import type { ShgCommand, ShgState } from '../domain/shg.decider';
import type { ShgEvent } from '../domain/shg.events';
import { ShgCommandHandler } from '../shg.command-handler';
import { DepositSavingsDto } from './deposit-savings.dto';

@ApiTags('shgs')
@Controller('shgs/:id/savings/deposits')
export class DepositSavingsController {
  /** A meeting's deposits arrive together for one SHG: those waiting for its stream are written in one transaction. */
  private readonly deposits: StreamBatches<ShgState, ShgCommand, ShgEvent>;

  constructor(dataSource: DataSource, shgs: ShgCommandHandler) {
    this.deposits = new StreamBatches(dataSource, shgs);
  }

  @Post()
  @Policy(['field-officer'], inPath('shg'))
  @BatchedCommands()
  @ApiBearerAuth()
  @ApiCreatedResponse({ type: Created })
  @ApiNotFoundResponse({ description: 'not_found' })
  @ApiUnprocessableEntityResponse({
    description:
      "unknown_member; date_out_of_order: before the SHG was formed; amount_too_large: the SHG's savings would pass 2^53 - 1 paise",
  })
  async deposit(
    @Param('id') shgId: string,
    @Body() body: DepositSavingsDto,
    @CommandMetadata() metadata: CommandMetadata,
    @KeyClaimOf() claim: RequestKeyClaim | null,
  ): Promise<Created> {
    const depositId = randomUUID();
    const { memberId, amount, depositedOn } = body;
    const command = { type: 'DepositSavings', data: { shgId, depositId, memberId, amount, depositedOn }, metadata } as const;
    return this.deposits.submit(shgId, command, claim, (): Created => ({ id: depositId }));
  }
}
