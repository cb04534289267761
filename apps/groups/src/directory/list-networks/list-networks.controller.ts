import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { CurrentCaller, inScopeCondition, Policy, type Caller } from '@sangam/platform';

export class NetworkListItem {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
}

@ApiTags('networks')
@Controller('networks')
export class ListNetworksController {
  constructor(private readonly dataSource: DataSource) {}

  @Get()
  @Policy(['field-officer', 'approver'])
  @ApiBearerAuth()
  @ApiOkResponse({ type: [NetworkListItem], description: 'The networks the caller may see, by name' })
  async list(@CurrentCaller() caller: Caller): Promise<NetworkListItem[]> {
    return this.dataSource.query(
      `SELECT id, name FROM group_directory WHERE kind = 'network' AND ${inScopeCondition(caller, 'network', 'id')} ORDER BY name, id`,
      [caller.userId],
    );
  }
}
