import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { PostgresEventStore } from '@sangam/event-store';
import { loadCreditLine } from '../credit-line.stream';
import { CreditLineView, toCreditLineView } from './credit-line.response';
import { Policy, inPath } from '@sangam/platform';

@ApiTags('credit lines')
@Controller('credit-lines/:id')
export class GetCreditLineController {
  constructor(private readonly store: PostgresEventStore) {}

  /** Folded from the line's own stream, so it reflects every committed write at once. */
  @Get()
  @Policy(['bank-officer'], inPath('credit-line'))
  @ApiBearerAuth()
  @ApiOkResponse({ type: CreditLineView })
  async get(@Param('id') creditLineId: string): Promise<CreditLineView> {
    const line = await loadCreditLine(this.store, creditLineId);
    return toCreditLineView(line, new Date().toISOString().slice(0, 10));
  }
}
