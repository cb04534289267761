import { randomBytes } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { SECRET_PREFIX } from '../webhooks/domain/webhook-signature';

/** Standard Webhooks form: `whsec_` + base64 of 32 random bytes. */
export const generateWebhookSecret = (): string => `${SECRET_PREFIX}${randomBytes(32).toString('base64')}`;

/**
 * Secrets are kept as issued because verifying an HMAC needs the key itself; they live only in
 * this table, written in the transaction of the bank's event, and never in an event.
 */
export async function storeFirstSecret(manager: EntityManager, bankId: string, secret: string, createdAt: string): Promise<void> {
  await manager.query(`INSERT INTO bank_webhook_secrets (bank_id, secret, created_at) VALUES ($1, $2, $3)`, [bankId, secret, createdAt]);
}

export async function replaceSecret(
  manager: EntityManager,
  bankId: string,
  secret: string,
  rotatedAt: string,
  previousValidUntil: string,
): Promise<void> {
  await manager.query(`UPDATE bank_webhook_secrets SET valid_until = $2 WHERE bank_id = $1 AND valid_until IS NULL`, [bankId, previousValidUntil]);
  await storeFirstSecret(manager, bankId, secret, rotatedAt);
}

/** The secrets a delivery may be signed with at `now`: the current one and any still in its grace period. */
export async function verifyingSecrets(dataSource: DataSource, bankId: string, now: Date): Promise<string[]> {
  const rows: { secret: string }[] = await dataSource.query(
    `SELECT secret FROM bank_webhook_secrets WHERE bank_id = $1 AND (valid_until IS NULL OR valid_until > $2) ORDER BY created_at DESC`,
    [bankId, now.toISOString()],
  );
  return rows.map((row) => row.secret);
}
