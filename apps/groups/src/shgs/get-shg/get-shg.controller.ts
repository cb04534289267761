import { Controller, Get, Param } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { PostgresEventStore } from '@sangam/event-store';
import { loadShg } from '../shg.stream';
import { toShgView, ShgView } from './get-shg.response';

@ApiTags('shgs')
@Controller('shgs')
export class GetShgController {
  constructor(private readonly store: PostgresEventStore) {}

  @Get(':id')
  @ApiOkResponse({ type: ShgView })
  @ApiNotFoundResponse({ description: 'not_found' })
  async getShg(@Param('id') shgId: string): Promise<ShgView> {
    return toShgView(await loadShg(this.store, shgId));
  }
}
