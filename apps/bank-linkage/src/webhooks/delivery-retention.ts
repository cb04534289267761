import { Inject, Injectable } from '@nestjs/common';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { Housekeeping, SERVICE_CONFIG, type ServiceConfig } from '@sangam/platform';

export class ProcessedDeliveriesByAge1764800000600 implements MigrationInterface {
  name = 'ProcessedDeliveriesByAge1764800000600';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX webhook_deliveries_processed_at ON webhook_deliveries (processed_at) WHERE status = 'processed'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX webhook_deliveries_processed_at`);
  }
}

/**
 * A processed delivery's facts are events; its raw body is kept WEBHOOK_DELIVERY_RETENTION_DAYS for
 * audits and then pruned (a repeat of its webhook-id that late is refused by the 5-minute timestamp
 * window anyway). Failed and quarantined deliveries stay until operators deal with them.
 */
@Injectable()
export class DeliveryRetention {
  constructor(housekeeping: Housekeeping, @Inject(SERVICE_CONFIG) config: ServiceConfig) {
    housekeeping.register({
      table: 'webhook_deliveries',
      ageColumn: 'processed_at',
      retentionDays: config.retention.webhookDeliveriesDays,
      where: `status = 'processed'`,
    });
  }
}
