import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CreditLineQuery } from '../credit-line.query';
import { requireLine } from '../domain/credit-line.decider';
import { CreditLineView, toCreditLineView } from './credit-line.response';
import { Policy, inPath } from '@sangam/platform';

@ApiTags('credit lines')
@Controller('credit-lines/:id')
export class GetCreditLineController {
  constructor(private readonly creditLines: CreditLineQuery) {}

  /** Folded from the line's own stream, so it reflects every committed write at once. */
  @Get()
  @Policy(['bank-officer'], inPath('credit-line'))
  @ApiBearerAuth()
  @ApiOkResponse({ type: CreditLineView })
  async get(@Param('id') creditLineId: string): Promise<CreditLineView> {
    const line = requireLine(await this.creditLines.byId(creditLineId), creditLineId);
    return toCreditLineView(line, new Date().toISOString().slice(0, 10));
  }
}
