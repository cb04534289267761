import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { CurrentCaller, inScopeCondition, Policy, type Caller } from '@sangam/platform';

class BorrowerRef {
  @ApiProperty({ enum: ['network', 'shg'] }) type: string;
  @ApiProperty({ format: 'uuid' }) id: string;
}

export class CreditLineListItem {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) bankId: string;
  @ApiProperty({ type: BorrowerRef }) borrower: BorrowerRef;
  @ApiProperty({ type: 'integer', description: 'Sanctioned limit, paise' }) limit: number;
  @ApiProperty({ format: 'date' }) expiresOn: string;
}

@ApiTags('credit lines')
@Controller('credit-lines')
export class ListCreditLinesController {
  constructor(private readonly dataSource: DataSource) {}

  @Get()
  @Policy(['bank-officer'])
  @ApiBearerAuth()
  @ApiOkResponse({
    type: [CreditLineListItem],
    description: 'The lines of the banks the caller is granted (every line for admin and auditors)',
  })
  async list(@CurrentCaller() caller: Caller): Promise<CreditLineListItem[]> {
    const rows: { id: string; bankId: string; borrower: BorrowerRef; limit: string; expiresOn: string }[] = await this.dataSource.query(
      `SELECT credit_line_id AS id, bank_id AS "bankId", json_build_object('type', borrower_type, 'id', borrower_id) AS borrower,
              credit_limit AS limit, to_char(expires_on, 'YYYY-MM-DD') AS "expiresOn"
       FROM sanctioned_limits WHERE ${inScopeCondition(caller, 'bank', 'bank_id')} ORDER BY credit_line_id`,
      [caller.userId],
    );
    return rows.map((row) => ({ ...row, limit: Number(row.limit) }));
  }
}
