import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiConflictResponse, ApiTags } from '@nestjs/swagger';
import { DomainError, isUuid, NotFoundError } from '@sangam/domain';
import type { UnitOfWork } from '@sangam/event-store';
import { DeliveryProcessor } from '../process-deliveries/delivery-processor';
import { findDelivery, requeueFailed } from '../webhook-deliveries';
import { RedriveDeliveryDto, RedrivenDelivery } from './redrive-delivery.dto';
import { Policy, RequestUnitOfWork } from '@sangam/platform';

@ApiTags('bank webhooks')
@Controller('webhooks/deliveries/:id/redrive')
export class RedriveDeliveryController {
  constructor(private readonly processor: DeliveryProcessor) {}

  /** Queues a failed delivery for processing again (after the cause was fixed); it is processed asynchronously. */
  @Post()
  @Policy(['operator'])
  @ApiBearerAuth()
  @HttpCode(202)
  @ApiAcceptedResponse({ type: RedrivenDelivery })
  @ApiConflictResponse({ description: 'Only a failed delivery can be re-driven' })
  async redrive(
    @Param('id') id: string,
    @Body() _body: RedriveDeliveryDto,
    @RequestUnitOfWork() unit: UnitOfWork,
  ): Promise<RedrivenDelivery> {
    if (!isUuid(id)) throw new NotFoundError('Delivery', id);
    if (!(await requeueFailed(unit.manager, id))) {
      const delivery = await findDelivery(unit.manager, id);
      if (!delivery) throw new NotFoundError('Delivery', id);
      throw new DomainError('conflict', `Only a failed delivery can be re-driven; this one is ${delivery.status}`, 'conflict');
    }
    unit.afterCommit(() => this.processor.nudge());
    return { id, status: 'pending' };
  }
}
