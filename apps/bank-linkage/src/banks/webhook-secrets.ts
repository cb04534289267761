import { randomBytes } from 'node:crypto';
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { SECRET_PREFIX } from '../webhooks/domain/webhook-signature';
import { SecretSealer } from './secret-sealing';

/** Standard Webhooks form: `whsec_` + base64 of 32 random bytes. */
export const generateWebhookSecret = (): string => `${SECRET_PREFIX}${randomBytes(32).toString('base64')}`;

/**
 * Banks' webhook secrets live only in `bank_webhook_secrets`, sealed (see SecretSealer), written
 * in the transaction of the bank's event and never put in an event.
 */
@Injectable()
export class WebhookSecrets implements OnApplicationBootstrap {
  private readonly logger = new Logger('webhook-secrets');

  constructor(
    private readonly dataSource: DataSource,
    private readonly sealer: SecretSealer,
  ) {}

  /** Seals the secrets an earlier version stored as issued. */
  async onApplicationBootstrap(): Promise<void> {
    const sealed = await this.dataSource.transaction(async (manager) => {
      const rows: { bank_id: string; secret: string }[] = await manager.query(
        `SELECT bank_id, secret FROM bank_webhook_secrets WHERE starts_with(secret, $1) FOR UPDATE`,
        [SECRET_PREFIX],
      );
      for (const row of rows) {
        await manager.query(`UPDATE bank_webhook_secrets SET secret = $3 WHERE bank_id = $1 AND secret = $2`, [
          row.bank_id,
          row.secret,
          this.sealer.seal(row.bank_id, row.secret),
        ]);
      }
      return rows.length;
    });
    if (sealed > 0) this.logger.log({ sealed, msg: 'sealed webhook secrets stored in plaintext by an earlier version' });
  }

  async storeFirst(manager: EntityManager, bankId: string, secret: string, createdAt: string): Promise<void> {
    await manager.query(`INSERT INTO bank_webhook_secrets (bank_id, secret, created_at) VALUES ($1, $2, $3)`, [
      bankId,
      this.sealer.seal(bankId, secret),
      createdAt,
    ]);
  }

  async replace(manager: EntityManager, bankId: string, secret: string, rotatedAt: string, previousValidUntil: string): Promise<void> {
    await manager.query(`UPDATE bank_webhook_secrets SET valid_until = $2 WHERE bank_id = $1 AND valid_until IS NULL`, [bankId, previousValidUntil]);
    await this.storeFirst(manager, bankId, secret, rotatedAt);
  }

  /** The secrets a delivery may be signed with at `now`: the current one and any still in its grace period. */
  async verifying(bankId: string, now: Date): Promise<string[]> {
    const rows: { secret: string }[] = await this.dataSource.query(
      `SELECT secret FROM bank_webhook_secrets WHERE bank_id = $1 AND (valid_until IS NULL OR valid_until > $2) ORDER BY created_at DESC`,
      [bankId, now.toISOString()],
    );
    return rows.map((row) => this.sealer.open(bankId, row.secret));
  }
}
