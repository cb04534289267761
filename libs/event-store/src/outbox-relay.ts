import type { Producer } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { encodeEnvelope, PollingWorker } from '@sangam/messaging';
import { EVENT_COLUMNS, toEnvelope, toStoredEvent, type EventRow } from './stored-event';
import type { PostgresEventStore } from './event-store';
import { sendInOrder } from './send-in-order';

export interface OutboxRelayOptions {
  topic: string;
  batchSize?: number;
  idleMs?: number;
  onError?: (error: unknown) => void;
}

/** Any constant works: it names the relay's lock within one service's database. */
const RELAY_LOCK = 727_001;

/**
 * Publishes committed outbox rows to Kafka in position order and then marks them sent.
 * One relay at a time holds the lock for a batch, so several instances never interleave a
 * stream. A crash after the send but before the mark re-sends the batch: at-least-once.
 */
export class OutboxRelay extends PollingWorker {
  constructor(
    private readonly dataSource: DataSource,
    private readonly producer: Producer,
    private readonly options: OutboxRelayOptions,
    store?: PostgresEventStore,
  ) {
    super({ idleMs: options.idleMs ?? 200, retryAfterErrorMs: 1000, onError: options.onError });
    store?.notifications.on('appended', () => this.nudge());
  }

  protected async round(): Promise<boolean> {
    return (await this.publishBatch()) > 0;
  }

  /** Publishes one batch; returns how many rows it sent (0 when idle or another relay holds the lock). */
  async publishBatch(): Promise<number> {
    const limit = this.options.batchSize ?? 2000;
    return this.dataSource.transaction(async (manager) => {
      const [{ locked }] = await manager.query(`SELECT pg_try_advisory_xact_lock($1) AS locked`, [RELAY_LOCK]);
      if (!locked) return 0;
      const rows: EventRow[] = await manager.query(
        `SELECT ${EVENT_COLUMNS.replace(/(\w+)/g, 'e.$1')} FROM outbox o JOIN events e ON e.global_position = o.position
         WHERE o.published_at IS NULL ORDER BY o.position LIMIT $1`,
        [limit],
      );
      if (rows.length === 0) return 0;
      await sendInOrder(this.producer, this.options.topic, rows.map((row) => encodeEnvelope(toEnvelope(toStoredEvent(row)))));
      await manager.query(`UPDATE outbox SET published_at = now() WHERE position = ANY($1::bigint[])`, [
        rows.map((r) => r.global_position),
      ]);
      return rows.length;
    });
  }
}
