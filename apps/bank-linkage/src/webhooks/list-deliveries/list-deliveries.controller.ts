import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { listDeliveries } from '../webhook-deliveries';
import { DeliveryView, ListDeliveriesQuery, toDeliveryView } from './list-deliveries.dto';
import { Policy } from '@sangam/platform';

const DEFAULT_LIMIT = 100;

@ApiTags('bank webhooks')
@Controller('webhooks/deliveries')
export class ListDeliveriesController {
  constructor(private readonly dataSource: DataSource) {}

  /** For operators: the latest deliveries first, e.g. `?status=failed` for those to fix and re-drive. */
  @Get()
  @Policy(['operator'])
  @ApiBearerAuth()
  @ApiOkResponse({ type: [DeliveryView] })
  async list(@Query() query: ListDeliveriesQuery): Promise<DeliveryView[]> {
    const rows = await listDeliveries(this.dataSource, query.status, query.limit ?? DEFAULT_LIMIT);
    return rows.map(toDeliveryView);
  }
}
