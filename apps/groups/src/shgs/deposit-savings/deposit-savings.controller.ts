import { randomUUID } from 'node:crypto';
import { Body, Controller, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNotFoundResponse, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import type { UnitOfWork } from '@sangam/event-store';
import { CommandMetadata, Created, inPath, Policy, RequestUnitOfWork } from '@sangam/platform';
import { ShgCommandHandler } from '../shg.command-handler';
import { DepositSavingsDto } from './deposit-savings.dto';

@ApiTags('shgs')
@Controller('shgs/:id/savings/deposits')
export class DepositSavingsController {
  constructor(private readonly shgs: ShgCommandHandler) {}

  @Post()
  @Policy(['field-officer'], inPath('shg'))
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
    @RequestUnitOfWork() unit: UnitOfWork,
  ): Promise<Created> {
    const depositId = randomUUID();
    const { memberId, amount, depositedOn } = body;
    await this.shgs.handle(unit, shgId, { type: 'DepositSavings', data: { shgId, depositId, memberId, amount, depositedOn }, metadata });
    return { id: depositId };
  }
}
