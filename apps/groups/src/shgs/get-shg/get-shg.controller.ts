import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ShgQuery } from '../shg.query';
import { toShgView, ShgView } from './get-shg.response';
import { Policy, inPath } from '@sangam/platform';

@ApiTags('shgs')
@Controller('shgs')
export class GetShgController {
  constructor(private readonly shgs: ShgQuery) {}

  @Get(':id')
  @Policy(['field-officer', 'approver'], inPath('shg'))
  @ApiBearerAuth()
  @ApiOkResponse({ type: ShgView })
  @ApiNotFoundResponse({ description: 'not_found' })
  async getShg(@Param('id') shgId: string): Promise<ShgView> {
    return toShgView(await this.shgs.byId(shgId));
  }
}
