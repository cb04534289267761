import type { DataSource } from 'typeorm';
import { encodeEnvelope, PollingWorker, queryPrepared } from '@sangam/messaging';
import { APPEND_FENCE } from './event-store.migration';
import type { EventPublication } from './published-language';
import { EVENT_COLUMNS, toEnvelope, toStoredEvent, type EventRow } from './stored-event';
import type { PostgresEventStore } from './event-store';
import type { LeaderLaneSender } from './leader-lane-sender';

export interface OutboxRelayOptions extends EventPublication {
  batchSize?: number;
  idleMs?: number;
  /** How often the relay tries the read-all fence to learn how far the outbox is settled (default 1 s). */
  settleEveryMs?: number;
  onError?: (error: unknown) => void;
}

/** Any constant works: it names the relay's lock within one service's database. */
const RELAY_LOCK = 727_001;
const SETTLE_EVERY_MS = 1_000;

/**
 * Publishes committed outbox rows to Kafka in position order and then marks sent exactly the rows
 * the brokers acknowledged. One relay at a time holds the lock for a batch, so several instances
 * never interleave a stream. A leader's sends stop at a failed one, so what follows in its partitions
 * (a stream's later events among them) waits for the next batch. A crash after the send
 * but before the mark re-sends the batch: at-least-once.
 */
export class OutboxRelay extends PollingWorker {
  /**
   * No outbox row at or below this position is unsent: the scan for unsent rows starts past it.
   * Sent rows stay in the outbox (pruned by age) and their entries in the unsent index stay until
   * a vacuum, so a scan from the start walked thousands of them per batch under load (20,000 heap
   * fetches for 79 rows, 4.9 ms a batch). It moves up to the settled position once the relay has
   * caught up with it (see publishBatch).
   */
  private sentThrough = 0n;
  private settledAt = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly sender: LeaderLaneSender,
    private readonly options: OutboxRelayOptions,
    store?: PostgresEventStore,
  ) {
    super({ idleMs: options.idleMs ?? 200, retryAfterErrorMs: 1000, onError: options.onError });
    store?.notifications.on('appended', () => this.nudge());
  }

  /**
   * Another round at once only after a full batch: after a smaller one, what commits later nudges
   * the relay (an append of a request or worker of this process) or waits for the next poll (a
   * consumer's append, another instance's): an empty round after each batch would cost a
   * transaction of its own.
   */
  protected async round(): Promise<boolean> {
    return (await this.publishBatch()) >= this.limit;
  }

  /**
   * The settled position (see settled_position), now and then, when the fence is free this very
   * instant; else null. It tries the fence and never waits for it: waiting would queue every new
   * append of the service behind the relay until the longest append in flight committed.
   * Taken in a statement of its own (its lock ends with it), before the relay's scan. A database
   * restored to an earlier point settles lower: the scan then starts from the beginning again.
   */
  private async settledNow(): Promise<bigint | null> {
    if (Date.now() - this.settledAt < (this.options.settleEveryMs ?? SETTLE_EVERY_MS)) return null;
    // Granted only with no append in flight: every position at or below the highest one then
    // committed is final, and an append that follows takes a higher one.
    const [{ settled }]: { settled: string | null }[] = await this.dataSource.query(
      `SELECT CASE WHEN pg_try_advisory_xact_lock($1) THEN (SELECT coalesce(max(global_position), 0) FROM events) END AS settled`,
      [APPEND_FENCE],
    );
    if (settled === null) return null;
    this.settledAt = Date.now();
    if (BigInt(settled) < this.sentThrough) this.sentThrough = 0n;
    return BigInt(settled);
  }

  private get limit(): number {
    return this.options.batchSize ?? 2000;
  }

  /** Stops relaying and lets go of the relay's producer. */
  override async stop(): Promise<void> {
    await super.stop();
    await this.sender.close();
  }

  /**
   * Publishes one batch; returns how many rows it sent (0 when idle or another relay holds the
   * lock). When a send failed it throws that failure, after marking what was acknowledged.
   */
  async publishBatch(): Promise<number> {
    const settled = await this.settledNow();
    const { sent, failure, caughtUp } = await this.dataSource.transaction(async (manager) => {
      const [{ locked }]: { locked: boolean }[] = await manager.query(`SELECT pg_try_advisory_xact_lock($1) AS locked`, [RELAY_LOCK]);
      if (!locked) return { sent: 0, failure: null, caughtUp: false };
      // A statement of its own after the lock: its snapshot sees whatever the relay that held the lock before committed.
      const rows = await queryPrepared<EventRow[]>(
        manager,
        `SELECT ${EVENT_COLUMNS.replace(/(\w+)/g, 'e.$1')} FROM outbox o JOIN events e ON e.global_position = o.position
         WHERE o.published_at IS NULL AND o.position > $2 ORDER BY o.position LIMIT $1`,
        [this.limit, this.sentThrough.toString()],
      );
      if (rows.length === 0) return { sent: 0, failure: null, caughtUp: true };
      const publish = this.options.publish ?? toEnvelope;
      const outcome = await this.sender.send(
        this.options.topic,
        rows.map((row) => encodeEnvelope(publish(toStoredEvent(row)))),
      );
      if (outcome.acknowledged.length > 0) {
        await queryPrepared(manager, `UPDATE outbox SET published_at = now() WHERE position = ANY($1::bigint[])`, [
          outcome.acknowledged.map((i) => rows[i].global_position),
        ]);
      }
      const caughtUp = rows.length < this.limit && outcome.acknowledged.length === rows.length;
      return { sent: outcome.acknowledged.length, failure: outcome.failure, caughtUp };
    });
    // Every row at or below `settled` was committed before the scan, so the scan saw it; caught up, it sent them all.
    if (caughtUp && settled !== null) this.sentThrough = settled;
    if (failure !== null) throw failure instanceof Error ? failure : new Error('The send failed with a non-error', { cause: failure });
    return sent;
  }
}
