import { ApiProperty } from '@nestjs/swagger';
import { CREDIT_BORROWER_TYPES, type CreditBorrowerType } from '@sangam/contracts';
import { available, type SanctionedLine } from '../domain/credit-line.decider';
import { toSafePaise } from '@sangam/money';

class BorrowerView {
  @ApiProperty({ enum: CREDIT_BORROWER_TYPES })
  type: CreditBorrowerType;

  @ApiProperty({ format: 'uuid' })
  id: string;
}

export const CREDIT_LINE_STATUSES = ['active', 'expired'] as const;

export class CreditLineView {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  bankId: string;

  @ApiProperty({ type: BorrowerView })
  borrower: BorrowerView;

  @ApiProperty({ type: 'integer', description: 'Sanctioned limit, paise' })
  limit: number;

  @ApiProperty({ type: 'integer', description: 'Principal drawn and not yet repaid, paise' })
  drawn: number;

  @ApiProperty({ type: 'integer', description: 'limit - drawn, paise' })
  available: number;

  @ApiProperty({ type: 'integer', description: 'Interest the bank charged so far, paise' })
  interestCharged: number;

  @ApiProperty({ type: 'integer', description: 'Charged interest repaid so far, paise' })
  interestPaid: number;

  @ApiProperty({ enum: CREDIT_LINE_STATUSES, description: '`expired` after expiresOn: no more drawdowns, repayments still accepted' })
  status: (typeof CREDIT_LINE_STATUSES)[number];
}

export const toCreditLineView = (line: SanctionedLine, today: string): CreditLineView => ({
  id: line.creditLineId,
  bankId: line.bankId,
  borrower: line.borrower,
  limit: line.limit,
  drawn: line.drawnPrincipal,
  available: available(line),
  interestCharged: toSafePaise(line.interestCharged),
  interestPaid: toSafePaise(line.interestPaid),
  status: today > line.expiresOn ? 'expired' : 'active',
});
