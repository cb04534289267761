import { randomUUID } from 'node:crypto';
import { Body, Controller, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNotFoundResponse, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import type { UnitOfWork } from '@sangam/event-store';
import { CommandMetadata, Created, inPath, Policy, RequestUnitOfWork } from '@sangam/platform';
import { ShgCommandHandler } from '../shg.command-handler';
import { WithdrawSavingsDto } from './withdraw-savings.dto';

@ApiTags('shgs')
@Controller('shgs/:id/savings/withdrawals')
export class WithdrawSavingsController {
  constructor(private readonly shgs: ShgCommandHandler) {}

  @Post()
  @Policy(['field-officer'], inPath('shg'))
  @ApiBearerAuth()
  @ApiCreatedResponse({ type: Created })
  @ApiNotFoundResponse({ description: 'not_found' })
  @ApiUnprocessableEntityResponse({
    description:
      "unknown_member; insufficient_savings: more than the member's savings or the SHG's free (unpooled) savings; date_out_of_order: before the SHG was formed",
  })
  async withdraw(
    @Param('id') shgId: string,
    @Body() body: WithdrawSavingsDto,
    @CommandMetadata() metadata: CommandMetadata,
    @RequestUnitOfWork() unit: UnitOfWork,
  ): Promise<Created> {
    const withdrawalId = randomUUID();
    const { memberId, amount, withdrawnOn } = body;
    await this.shgs.handle(unit, shgId, {
      type: 'WithdrawSavings',
      data: { shgId, withdrawalId, memberId, amount, withdrawnOn },
      metadata,
    });
    return { id: withdrawalId };
  }
}
