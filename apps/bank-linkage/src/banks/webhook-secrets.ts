import { randomBytes } from 'node:crypto';
import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { SECRET_PREFIX } from '../webhooks/domain/webhook-signature';
import { SecretSealer } from './secret-sealing';

/** Standard Webhooks form: `whsec_` + base64 of 32 random bytes. */
export const generateWebhookSecret = (): string => `${SECRET_PREFIX}${randomBytes(32).toString('base64')}`;

/** A secret a delivery may be signed with, opened, with the sealed form that names its row. */
export interface VerifyingSecret {
  sealed: string;
  secret: string;
  /** Epoch milliseconds; null for the bank's current secret. */
  validUntil: number | null;
}

/**
 * Banks' webhook secrets live only in `bank_webhook_secrets`, sealed (see SecretSealer), written
 * in the transaction of the bank's event and never put in an event.
 */
@Injectable()
export class WebhookSecrets implements OnModuleInit {
  private readonly logger = new Logger('webhook-secrets');
  /**
   * Secrets already opened, by their sealed form: every delivery still reads which secrets are
   * valid (an operator may end a grace period at any time), but decrypts only once per secret.
   * A few per bank, and sealed forms never change, so it needs no eviction.
   */
  private readonly openedBySealed = new Map<string, { bankId: string; secret: string }>();
  /**
   * Each bank's secrets as last read, so that a delivery costs no query. A copy may be behind the
   * table (a rotation or an ended grace period on another instance, an operator's update): a
   * delivery that these do not verify reads them again, and a verified one is stored only if the
   * secret that signed it is still valid when it commits (see insertDeliveries). A few per bank.
   */
  private readonly byBank = new Map<string, VerifyingSecret[]>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly sealer: SecretSealer,
  ) {}

  /**
   * Seals the secrets an earlier version stored as issued, then checks that the key opens every
   * stored secret: started with another key (a lost key file, a wrong variable), the service
   * stops with a clear message, before it consumes or answers anything, instead of answering
   * every bank with 401s.
   */
  async onModuleInit(): Promise<void> {
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
    const stored: { bank_id: string; secret: string }[] = await this.dataSource.query(`SELECT bank_id, secret FROM bank_webhook_secrets`);
    const unopened = stored.filter((row) => this.opened(row) === null).map((row) => row.bank_id);
    if (unopened.length > 0) {
      throw new Error(
        `the webhook-secrets key does not open the stored secrets of ${unopened.length} bank(s), e.g. ${unopened[0]}: ` +
          'start with the WEBHOOK_SECRETS_KEY or key file they were sealed with',
      );
    }
  }

  private opened(row: { bank_id: string; secret: string }): string | null {
    const known = this.openedBySealed.get(row.secret);
    if (known !== undefined && known.bankId === row.bank_id) return known.secret;
    try {
      const secret = this.sealer.open(row.bank_id, row.secret);
      this.openedBySealed.set(row.secret, { bankId: row.bank_id, secret });
      return secret;
    } catch {
      return null;
    }
  }

  async storeFirst(manager: EntityManager, bankId: string, secret: string, createdAt: string): Promise<void> {
    await manager.query(`INSERT INTO bank_webhook_secrets (bank_id, secret, created_at) VALUES ($1, $2, $3)`, [
      bankId,
      this.sealer.seal(bankId, secret),
      createdAt,
    ]);
  }

  async replace(manager: EntityManager, bankId: string, secret: string, rotatedAt: string, previousValidUntil: string): Promise<void> {
    this.byBank.delete(bankId);
    await manager.query(`UPDATE bank_webhook_secrets SET valid_until = $2 WHERE bank_id = $1 AND valid_until IS NULL`, [
      bankId,
      previousValidUntil,
    ]);
    await this.storeFirst(manager, bankId, secret, rotatedAt);
  }

  /**
   * The secrets a delivery may be signed with at `now`: the current one and any still in its grace
   * period, as last read (see byBank), or read now when `fresh` or never read.
   */
  async verifying(bankId: string, now: Date, fresh = false): Promise<VerifyingSecret[]> {
    const known = (!fresh && this.byBank.get(bankId)) || (await this.read(bankId, now));
    return known.filter((secret) => secret.validUntil === null || secret.validUntil > now.getTime());
  }

  private async read(bankId: string, now: Date): Promise<VerifyingSecret[]> {
    const rows: { secret: string; valid_until: Date | null }[] = await this.dataSource.query(
      `SELECT secret, valid_until FROM bank_webhook_secrets WHERE bank_id = $1 AND (valid_until IS NULL OR valid_until > $2) ORDER BY created_at DESC`,
      [bankId, now.toISOString()],
    );
    // A secret that does not open (sealed by an instance with another key) verifies nothing.
    const secrets = rows.flatMap((row) => {
      const secret = this.opened({ bank_id: bankId, secret: row.secret });
      if (secret === null) this.logger.error({ bankId, msg: 'a stored webhook secret does not open with this key' });
      return secret === null ? [] : [{ sealed: row.secret, secret, validUntil: row.valid_until?.getTime() ?? null }];
    });
    // Only banks that have secrets are kept: ids that name no bank cannot fill the map.
    if (secrets.length > 0) this.byBank.set(bankId, secrets);
    else this.byBank.delete(bankId);
    return secrets;
  }
}
