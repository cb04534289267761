import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { CurrentCaller, inScopeCondition, Policy, type Caller } from '@sangam/platform';
import type { LoanStatus } from '../domain/loan.events';

const LOAN_STATUSES: readonly LoanStatus[] = [
  'applied',
  'approved',
  'rejected',
  'disbursement_pending',
  'active',
  'funding_failed',
  'closed',
];

class PartyRef {
  @ApiProperty({ enum: ['network', 'shg', 'member'] }) type: string;
  @ApiProperty({ format: 'uuid' }) id: string;
}

export class LoanListItem {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: PartyRef }) lender: PartyRef;
  @ApiProperty({ type: PartyRef }) borrower: PartyRef;
  @ApiProperty({ enum: ['common-fund', 'shg-savings', 'credit-line'] }) fundingSource: string;
  @ApiProperty({ enum: LOAN_STATUSES }) status: LoanStatus;
}

@ApiTags('loans')
@Controller('loans')
export class ListLoansController {
  constructor(private readonly dataSource: DataSource) {}

  @Get()
  @Policy(['field-officer', 'approver'])
  @ApiBearerAuth()
  @ApiOkResponse({ type: [LoanListItem], description: 'The loans the caller may see: whose lender or borrowing SHG is in their scope' })
  async list(@CurrentCaller() caller: Caller): Promise<LoanListItem[]> {
    return this.dataSource.query(
      `SELECT loan_id AS id, json_build_object('type', lender_type, 'id', lender_id) AS lender,
              json_build_object('type', borrower_type, 'id', borrower_id) AS borrower, funding_source AS "fundingSource", status
       FROM loan_index
       WHERE (lender_type = 'network' AND ${inScopeCondition(caller, 'network', 'lender_id')})
          OR (lender_type = 'shg' AND ${inScopeCondition(caller, 'shg', 'lender_id')})
          OR (borrower_type = 'shg' AND ${inScopeCondition(caller, 'shg', 'borrower_id')})
       ORDER BY loan_id`,
      [caller.userId],
    );
  }
}
