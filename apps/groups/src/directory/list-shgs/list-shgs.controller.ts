import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { CurrentCaller, inScopeCondition, Policy, type Caller } from '@sangam/platform';

export class ShgListItem {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true }) networkId: string | null;
}

@ApiTags('shgs')
@Controller('shgs')
export class ListShgsController {
  constructor(private readonly dataSource: DataSource) {}

  @Get()
  @Policy(['field-officer', 'approver'])
  @ApiBearerAuth()
  @ApiOkResponse({ type: [ShgListItem], description: 'The SHGs the caller may see (granted, or members of a granted network), by name' })
  async list(@CurrentCaller() caller: Caller): Promise<ShgListItem[]> {
    return this.dataSource.query(
      `SELECT id, name, network_id AS "networkId" FROM group_directory
       WHERE kind = 'shg' AND ${inScopeCondition(caller, 'shg', 'id')} ORDER BY name, id`,
      [caller.userId],
    );
  }
}
