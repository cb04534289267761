import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { DELIVERY_STATUSES, type DeliveryRow, type DeliveryStatus } from '../webhook-deliveries';

export class ListDeliveriesQuery {
  @IsOptional()
  @IsIn(DELIVERY_STATUSES)
  @ApiPropertyOptional({ enum: DELIVERY_STATUSES })
  status?: DeliveryStatus;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 100 })
  limit?: number;
}

class DeliveryError {
  @ApiProperty({ example: 'insufficient_credit' })
  code: string;

  @ApiProperty()
  message: string;
}

export class DeliveryView {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  bankId: string;

  @ApiProperty({ description: 'The webhook-id header' })
  webhookId: string;

  @ApiProperty({ nullable: true, type: 'string' })
  type: string | null;

  @ApiProperty({ enum: DELIVERY_STATUSES })
  status: DeliveryStatus;

  @ApiProperty({ type: DeliveryError, nullable: true })
  error: DeliveryError | null;

  @ApiProperty({ description: 'Processing attempts so far' })
  attempts: number;

  @ApiProperty({ format: 'date-time' })
  receivedAt: string;

  @ApiProperty({ format: 'date-time', nullable: true, type: 'string' })
  processedAt: string | null;

  @ApiProperty({ description: 'The body exactly as received, read as UTF-8' })
  body: string;
}

export const toDeliveryView = (row: DeliveryRow): DeliveryView => ({
  id: row.id,
  bankId: row.bank_id,
  webhookId: row.webhook_id,
  type: row.type,
  status: row.status,
  error: row.error_code ? { code: row.error_code, message: row.error_message ?? '' } : null,
  attempts: row.attempts,
  receivedAt: new Date(row.received_at).toISOString(),
  processedAt: row.processed_at ? new Date(row.processed_at).toISOString() : null,
  body: row.body.toString('utf8'),
});
