import type { DataSource, EntityManager } from 'typeorm';
import type { BankWebhookType } from '@sangam/contracts';
import { queryPrepared } from '@sangam/messaging';

export const DELIVERY_STATUSES = ['pending', 'processed', 'failed', 'quarantined'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export interface NewDelivery {
  id: string;
  bankId: string;
  webhookId: string;
  timestamp: string;
  signature: string;
  body: Buffer;
  type: BankWebhookType | null;
  status: 'pending' | 'quarantined';
  errorMessage: string | null;
  receivedAt: string;
  /** The sealed form of the secret that signed it (its row in bank_webhook_secrets). */
  signedWith: string;
}

export interface DeliveryRow {
  id: string;
  bank_id: string;
  webhook_id: string;
  body: Buffer;
  type: string | null;
  status: DeliveryStatus;
  error_code: string | null;
  error_message: string | null;
  attempts: number;
  received_at: Date;
  processed_at: Date | null;
}

const COLUMNS = `id, bank_id, webhook_id, body, type, status, error_code, error_message, attempts, received_at, processed_at`;

/**
 * Stores verified deliveries in one statement, in the order given, each unless its bank already
 * sent one with its webhook-id or the secret that signed it is no longer valid at its arrival (a
 * rotation or an ended grace period the verifier had not seen yet). Answers the ids stored.
 */
export async function insertDeliveries(manager: EntityManager, deliveries: readonly NewDelivery[]): Promise<Set<string>> {
  const column = <T>(value: (delivery: NewDelivery) => T): T[] => deliveries.map(value);
  const rows = await queryPrepared<{ id: string }[]>(
    manager,
    `INSERT INTO webhook_deliveries
       (id, bank_id, webhook_id, webhook_timestamp, webhook_signature, body, type, status, error_code, error_message, received_at)
     SELECT d.id, d.bank_id, d.webhook_id, d.webhook_timestamp, d.webhook_signature, d.body, d.type, d.status,
            CASE WHEN d.status = 'quarantined' THEN 'invalid_payload' END, d.error_message, d.received_at
     FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::bigint[], $5::text[], $6::bytea[], $7::text[], $8::text[], $9::text[],
                 $10::timestamptz[], $11::text[]) WITH ORDINALITY
       AS d(id, bank_id, webhook_id, webhook_timestamp, webhook_signature, body, type, status, error_message, received_at, signed_with, arrival)
     WHERE EXISTS (
       SELECT 1 FROM bank_webhook_secrets s
       WHERE s.bank_id = d.bank_id AND s.secret = d.signed_with AND (s.valid_until IS NULL OR s.valid_until > d.received_at))
     ORDER BY d.arrival
     ON CONFLICT (bank_id, webhook_id) DO NOTHING RETURNING id`,
    [
      column((d) => d.id),
      column((d) => d.bankId),
      column((d) => d.webhookId),
      column((d) => d.timestamp),
      column((d) => d.signature),
      column((d) => d.body),
      column((d) => d.type),
      column((d) => d.status),
      column((d) => d.errorMessage),
      column((d) => d.receivedAt),
      column((d) => d.signedWith),
    ],
  );
  return new Set(rows.map((row) => row.id));
}

export async function findByWebhookId(dataSource: DataSource, bankId: string, webhookId: string): Promise<DeliveryRow | null> {
  const [row] = await dataSource.query<DeliveryRow[]>(`SELECT ${COLUMNS} FROM webhook_deliveries WHERE bank_id = $1 AND webhook_id = $2`, [
    bankId,
    webhookId,
  ]);
  return row ?? null;
}

export async function listDeliveries(dataSource: DataSource, status: DeliveryStatus | undefined, limit: number): Promise<DeliveryRow[]> {
  return dataSource.query<DeliveryRow[]>(
    `SELECT ${COLUMNS} FROM webhook_deliveries WHERE $1::text IS NULL OR status = $1 ORDER BY sequence DESC LIMIT $2`,
    [status ?? null, limit],
  );
}

/** Locks the oldest deliveries waiting to be processed, up to `limit`, in the order the banks' deliveries arrived. */
export async function lockNextPending(manager: EntityManager, limit: number): Promise<DeliveryRow[]> {
  return queryPrepared<DeliveryRow[]>(
    manager,
    `SELECT ${COLUMNS} FROM webhook_deliveries WHERE status = 'pending' ORDER BY sequence LIMIT $1 FOR UPDATE SKIP LOCKED`,
    [limit],
  );
}

export async function markProcessed(manager: EntityManager, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await queryPrepared(
    manager,
    `UPDATE webhook_deliveries SET status = 'processed', error_code = NULL, error_message = NULL, attempts = attempts + 1, processed_at = now()
     WHERE id = ANY($1::uuid[])`,
    [ids],
  );
}

export async function markFailed(manager: EntityManager, id: string, code: string, message: string): Promise<void> {
  await manager.query(
    `UPDATE webhook_deliveries SET status = 'failed', error_code = $2, error_message = $3, attempts = attempts + 1, processed_at = now()
     WHERE id = $1`,
    [id, code, message],
  );
}

export async function findDelivery(manager: EntityManager, id: string): Promise<DeliveryRow | null> {
  const [row] = await manager.query<DeliveryRow[]>(`SELECT ${COLUMNS} FROM webhook_deliveries WHERE id = $1`, [id]);
  return row ?? null;
}

/** Puts a failed delivery back in the processing queue; false when no failed delivery has this id. */
export async function requeueFailed(manager: EntityManager, id: string): Promise<boolean> {
  const [rows]: [unknown[], number] = await manager.query(
    `UPDATE webhook_deliveries SET status = 'pending' WHERE id = $1 AND status = 'failed' RETURNING id`,
    [id],
  );
  return rows.length > 0;
}
