import type { DataSource, EntityManager } from 'typeorm';

export const DELIVERY_STATUSES = ['pending', 'processed', 'failed', 'quarantined'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export interface NewDelivery {
  id: string;
  bankId: string;
  webhookId: string;
  timestamp: string;
  signature: string;
  body: Buffer;
  type: string | null;
  status: 'pending' | 'quarantined';
  errorMessage: string | null;
  receivedAt: string;
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

/** Stores a verified delivery unless this bank already sent one with its webhook-id; null then. */
export async function insertDelivery(manager: EntityManager, delivery: NewDelivery): Promise<string | null> {
  const rows: { id: string }[] = await manager.query(
    `INSERT INTO webhook_deliveries
       (id, bank_id, webhook_id, webhook_timestamp, webhook_signature, body, type, status, error_code, error_message, received_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
     ON CONFLICT (bank_id, webhook_id) DO NOTHING RETURNING id`,
    [
      delivery.id,
      delivery.bankId,
      delivery.webhookId,
      delivery.timestamp,
      delivery.signature,
      delivery.body,
      delivery.type,
      delivery.status,
      delivery.status === 'quarantined' ? 'invalid_payload' : null,
      delivery.errorMessage,
      delivery.receivedAt,
    ],
  );
  return rows[0]?.id ?? null;
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

/** Locks the oldest delivery waiting to be processed, in the order the bank's deliveries arrived. */
export async function lockNextPending(manager: EntityManager): Promise<DeliveryRow | null> {
  const [row] = await manager.query<DeliveryRow[]>(
    `SELECT ${COLUMNS} FROM webhook_deliveries WHERE status = 'pending' ORDER BY sequence LIMIT 1 FOR UPDATE SKIP LOCKED`,
  );
  return row ?? null;
}

export async function markProcessed(manager: EntityManager, id: string): Promise<void> {
  await manager.query(
    `UPDATE webhook_deliveries SET status = 'processed', error_code = NULL, error_message = NULL, attempts = attempts + 1, processed_at = now()
     WHERE id = $1`,
    [id],
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
