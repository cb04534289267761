import { randomUUID } from 'node:crypto';
import { Body, Controller, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import type { UnitOfWork } from '@sangam/event-store';
import { CommandMetadata, Created, inBody, Policy, RequestUnitOfWork } from '@sangam/platform';
import { BankCommandHandler } from '../../banks/bank.command-handler';
import { CreditLineCommandHandler } from '../credit-line.command-handler';
import { SanctionCreditLineDto } from './sanction-credit-line.dto';
import { sanctionCreditLine } from './sanction-credit-line.handler';

@ApiTags('credit lines')
@Controller('credit-lines')
export class SanctionCreditLineController {
  constructor(
    private readonly banks: BankCommandHandler,
    private readonly creditLines: CreditLineCommandHandler,
  ) {}

  @Post()
  @Policy(['bank-officer'], inBody('bank', 'bankId'))
  @ApiBearerAuth()
  @ApiCreatedResponse({ type: Created })
  @ApiUnprocessableEntityResponse({ description: 'limit_exceeds_drawing_power' })
  async sanction(
    @Body() body: SanctionCreditLineDto,
    @CommandMetadata() metadata: CommandMetadata,
    @RequestUnitOfWork() unit: UnitOfWork,
  ): Promise<Created> {
    const creditLineId = randomUUID();
    const borrower = { type: body.borrower.type, id: body.borrower.id };
    await sanctionCreditLine({ banks: this.banks, creditLines: this.creditLines }, unit, {
      type: 'SanctionCreditLine',
      data: { creditLineId, ...body, borrower },
      metadata,
    });
    return { id: creditLineId };
  }
}
