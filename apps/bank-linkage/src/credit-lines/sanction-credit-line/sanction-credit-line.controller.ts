import { randomUUID } from 'node:crypto';
import { Body, Controller, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { decideInTransaction, PostgresEventStore, type EventMetadata } from '@sangam/event-store';
import { CommandMetadata, Created, inBody, Policy } from '@sangam/platform';
import { loadBank } from '../../banks/bank.stream';
import { creditLineStream } from '../credit-line.stream';
import { creditLineDecider } from '../domain/credit-line.decider';
import { lockOpenLimits } from '../projections/sanctioned-limits';
import { borrowerSavings } from '../projections/borrower-savings.projection';
import { SanctionCreditLineDto } from './sanction-credit-line.dto';

@ApiTags('credit lines')
@Controller('credit-lines')
export class SanctionCreditLineController {
  constructor(
    private readonly store: PostgresEventStore,
    private readonly dataSource: DataSource,
  ) {}

  @Post()
  @Policy(['bank-officer'], inBody('bank', 'bankId'))
  @ApiBearerAuth()
  @ApiCreatedResponse({ type: Created })
  @ApiUnprocessableEntityResponse({ description: 'limit_exceeds_drawing_power' })
  async sanction(@Body() body: SanctionCreditLineDto, @CommandMetadata() metadata: EventMetadata): Promise<Created> {
    const bank = await loadBank(this.store, body.bankId);
    const borrower = { type: body.borrower.type, id: body.borrower.id };
    const creditLineId = randomUUID();
    // One bank's sanctions to one borrower queue on a lock: each sees the limits the others left.
    await this.store.transaction(async (manager) => {
      const drawingPower = {
        maxSavingsMultiple: bank.maxSavingsMultiple,
        borrowerSavings: await borrowerSavings(this.dataSource, borrower),
        openLimits: await lockOpenLimits(manager, bank.bankId, borrower, body.sanctionedOn),
      };
      const command = { type: 'SanctionCreditLine' as const, creditLineId, ...body, borrower, drawingPower };
      return decideInTransaction(this.store, manager, creditLineStream(creditLineId), creditLineDecider, () => command, metadata);
    });
    return { id: creditLineId };
  }
}
