import type { Consumer, EachBatchPayload, Kafka, KafkaMessage, Producer } from 'kafkajs';
import type { DataSource, EntityManager } from 'typeorm';
import { decodeEnvelope, type EventEnvelope } from './envelope';
import { sendToDeadLetters } from './dead-letters';
import { isTransient } from './transient-errors';
import { DeferredPassOvers, type PassOver } from './deferred-pass-overs';
import { queryPrepared } from './prepared-statement';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface ConsumedEvent<Data = unknown> {
  envelope: EventEnvelope<Data>;
  topic: string;
  partition: number;
  offset: string;
}

/** Applies events to the consumer's database inside the transaction that also stores the checkpoint. */
export type BatchHandler = (events: ConsumedEvent[], manager: EntityManager) => Promise<void>;

export interface CheckpointedConsumerOptions {
  /** Names the consumer's checkpoints (and its group, unless groupId is given). */
  name: string;
  /** Consumer group; services prefix it with their database so two deployments on one broker never share a group. */
  groupId?: string;
  topics: readonly string[];
  handle: BatchHandler;
  /** Reads an envelope published at an older schemaVersion in its current shape (services: libs/contracts' upcasters). */
  upcast?: (envelope: EventEnvelope) => EventEnvelope;
  /** Attempts per message before it is dead-lettered. */
  maxAttempts?: number;
  /** Skip events whose eventId this consumer already applied (redelivery, republish, re-drive). */
  deduplicate?: boolean;
  partitionsConsumedConcurrently?: number;
  /** How long the group waits for a member that stopped heartbeating (killed) before giving its partitions to the others. */
  sessionTimeoutMs?: number;
  log?: (level: 'info' | 'warn' | 'error', message: string, context?: Record<string, unknown>) => void;
  /**
   * Whether the handler changes anything for this event (the events of its topics it reads). A batch
   * of none is passed over: no transaction, its checkpoint moved on in one statement. Omitted: every
   * event is applied. It must say true for every event the handler uses; when in doubt, true.
   */
  appliesTo?: (envelope: EventEnvelope) => boolean;
  /** Told of the events whose effect has just been committed (after the transaction): services measure their lag with it. */
  onApplied?: (envelopes: EventEnvelope[]) => void;
}

/**
 * Kafka's default is 30 s, all of which a restarted or surviving instance waits after a SIGKILL
 * before it is given the dead member's partitions. 10 s, with a heartbeat every second, is well
 * above a heartbeat's round trip on a busy machine and above the broker's minimum (6 s).
 */
export const DEFAULT_SESSION_TIMEOUT_MS = 10_000;

/**
 * How often the group's offsets are committed to Kafka (and at stop). They are only where a
 * partition's first fetch starts before the seek to the stored checkpoint lands, and what Kafka's
 * tools show as the group's lag: committing them after every batch (kafkajs' auto-commit) cost each
 * batch a broker round trip, and the broker a write, for nothing the consumer reads back.
 */
export const KAFKA_OFFSETS_COMMIT_INTERVAL_MS = 5_000;

/** How often the pass-overs kept in memory are written (see DeferredPassOvers). */
export const PASS_OVERS_WRITE_INTERVAL_MS = 1_000;

/** How long stopping waits for that last commit. */
const STOP_COMMIT_TIMEOUT_MS = 2_000;

/**
 * A Kafka consumer whose progress lives in Postgres, committed atomically with the state it
 * changes. The stored checkpoint is authoritative (Kafka's committed offset is only a hint), so a
 * crash between the database commit and the Kafka commit neither double-applies nor skips.
 */
export class CheckpointedConsumer {
  private consumer: Consumer | null = null;
  private readonly maxAttempts: number;
  private readonly soughtBack = new Set<string>();
  /** The next offset of each partition applied since the last commit to Kafka. */
  private readonly offsetsToCommit = new Map<string, { topic: string; partition: number; offset: string }>();
  private offsetsTimer: NodeJS.Timeout | null = null;
  private committingOffsets = false;
  private readonly passOvers = new DeferredPassOvers((passOver) => this.writePassOver(passOver), PASS_OVERS_WRITE_INTERVAL_MS);

  constructor(
    private readonly kafka: Kafka,
    private readonly dataSource: DataSource,
    private readonly producer: Producer,
    private readonly options: CheckpointedConsumerOptions,
  ) {
    this.maxAttempts = options.maxAttempts ?? 3;
  }

  async start(): Promise<void> {
    const sessionTimeout = this.options.sessionTimeoutMs ?? DEFAULT_SESSION_TIMEOUT_MS;
    const consumer = this.kafka.consumer({
      groupId: this.options.groupId ?? this.options.name,
      sessionTimeout,
      heartbeatInterval: Math.max(100, Math.floor(sessionTimeout / 10)),
      retry: { retries: 20, initialRetryTime: 300 },
    });
    this.consumer = consumer;
    await consumer.connect();
    await consumer.subscribe({ topics: [...this.options.topics], fromBeginning: true });
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      // Offsets of partitions that may now be another member's are not this member's to commit.
      this.offsetsToCommit.clear();
      // What is kept is written first: the seek reads the stored checkpoints.
      void this.passOvers
        .writeAll()
        // Not written (the database away): kept, and the seek goes back to before it; nothing is skipped.
        .catch(() => undefined)
        .then(() => this.seekToCheckpoints(consumer, payload.memberAssignment))
        .catch((error) => this.log('error', 'could not seek to stored checkpoints', { error: String(error) }));
    });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 1,
      eachBatch: (payload) => this.onBatch(payload),
    });
    this.offsetsTimer = setInterval(() => void this.commitKafkaOffsets(), KAFKA_OFFSETS_COMMIT_INTERVAL_MS);
    this.offsetsTimer.unref();
    this.passOvers.start();
  }

  async stop(): Promise<void> {
    if (this.offsetsTimer) clearInterval(this.offsetsTimer);
    this.offsetsTimer = null;
    await this.passOvers.stop();
    // Bounded: with the brokers away, kafkajs would retry the commit for minutes, and it is only a hint.
    await Promise.race([this.commitKafkaOffsets(), new Promise((resolve) => setTimeout(resolve, STOP_COMMIT_TIMEOUT_MS).unref())]);
    await this.consumer?.disconnect();
    this.consumer = null;
  }

  private async commitKafkaOffsets(): Promise<void> {
    // One commit at a time: one retrying while the brokers are away must not be joined by another each interval.
    if (!this.consumer || this.offsetsToCommit.size === 0 || this.committingOffsets) return;
    this.committingOffsets = true;
    const offsets = [...this.offsetsToCommit.values()];
    this.offsetsToCommit.clear();
    await this.consumer
      .commitOffsets(offsets)
      // A rebalance under way refuses it: the next owner's commits follow, and the stored checkpoints are what count.
      .catch((error: unknown) => this.log('info', 'could not commit offsets to Kafka', { error: String(error) }))
      .finally(() => (this.committingOffsets = false));
  }

  private async seekToCheckpoints(consumer: Consumer, assignment: Record<string, number[]>): Promise<void> {
    const rows: { topic: string; partition: number; next_offset: string }[] = await this.dataSource.query(
      `SELECT topic, partition, next_offset FROM consumer_checkpoints WHERE consumer = $1`,
      [this.options.name],
    );
    const stored = new Map(rows.map((row) => [`${row.topic}:${row.partition}`, BigInt(row.next_offset)]));
    for (const [topic, partitions] of Object.entries(assignment)) {
      const bounds = await this.partitionBounds(topic);
      for (const partition of partitions) {
        const { low, high } = bounds.get(partition) ?? { low: 0n, high: 0n };
        let offset = stored.get(`${topic}:${partition}`);
        if (offset !== undefined && offset > high) {
          // A checkpoint past the end of the log means the topic was lost and recreated (then
          // republished): start again from its beginning; event ids keep it from double-applying.
          this.log('warn', 'checkpoint is past the end of the partition; reading it again from its beginning', { topic, partition });
          await this.dataSource.query(
            `UPDATE consumer_checkpoints SET next_offset = $4, updated_at = now()
             WHERE consumer = $1 AND topic = $2 AND partition = $3 AND next_offset > $5`,
            [this.options.name, topic, partition, low.toString(), high.toString()],
          );
          offset = low;
        }
        // Without a stored checkpoint the partition starts from its beginning, whatever Kafka remembers.
        consumer.seek({ topic, partition, offset: (offset ?? low).toString() });
      }
    }
  }

  private async partitionBounds(topic: string): Promise<Map<number, { low: bigint; high: bigint }>> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const offsets = await admin.fetchTopicOffsets(topic);
      return new Map(offsets.map((p) => [p.partition, { low: BigInt(p.low), high: BigInt(p.high) }]));
    } finally {
      await admin.disconnect();
    }
  }

  private async onBatch(payload: EachBatchPayload) {
    const { batch } = payload;
    if (batch.messages.length === 0 || !payload.isRunning() || payload.isStale()) return;
    const { topic, partition, messages } = batch;
    try {
      const gapBefore = await this.applyInOneTransaction(topic, partition, messages);
      if (gapBefore !== null) return this.seekBack(topic, partition, messages[0].offset, gapBefore);
    } catch (error) {
      if (isTransient(error)) throw error;
      for (const message of messages) {
        if (!payload.isRunning() || payload.isStale()) return;
        await this.applyOneWithRetries(topic, partition, message);
        payload.resolveOffset(message.offset);
        await payload.heartbeat();
      }
    }
    const last = messages[messages.length - 1].offset;
    payload.resolveOffset(last);
    // Kafka's offset never runs ahead of the stored checkpoint: a kept pass-over tells it once written.
    if (!this.passOvers.keeps(topic, partition)) this.kafkaOffsetIs(topic, partition, (BigInt(last) + 1n).toString());
    await payload.heartbeat();
  }

  private seekBack(topic: string, partition: number, firstOffset: string, checkpoint: bigint): void {
    this.log('warn', 'batch starts past the stored checkpoint; seeking back to it', {
      topic,
      partition,
      firstOffset,
      checkpoint: checkpoint.toString(),
    });
    this.consumer?.seek({ topic, partition, offset: checkpoint.toString() });
  }

  /**
   * Applies the batch, or answers the stored checkpoint instead when the batch starts past it: the
   * seek on assignment runs concurrently with the first fetch, and applying would skip events. That
   * is answered once per partition; if the log no longer holds those offsets, the next batch starts
   * past the checkpoint again and is applied.
   *
   * Four round trips besides the handler's, whatever the batch's size: BEGIN, claim (the checkpoint
   * locked and read, the fresh event ids recorded), the checkpoint saved, COMMIT.
   */
  private async applyInOneTransaction(topic: string, partition: number, messages: KafkaMessage[]): Promise<bigint | null> {
    const key = `${topic}:${partition}`;
    const upcast = this.options.upcast ?? ((envelope: EventEnvelope) => envelope);
    // A message that cannot be read fails the batch only if it is one to apply (below the checkpoint it was dealt with).
    const decoded = messages.map((message): EventEnvelope | Error => {
      try {
        return upcast(decodeEnvelope(message));
      } catch (error) {
        return error instanceof Error ? error : new Error(String(error));
      }
    });
    // Only the events the handler uses are recorded as processed and handed to it: the others change nothing.
    const relevant = decoded.map((envelope) => this.applies(envelope));
    const passing = relevant.every((applies) => !applies);
    if (passing && (await this.passOver(topic, partition, messages, decoded as EventEnvelope[]))) {
      this.soughtBack.delete(key);
      return null;
    }
    await this.passOvers.settle(topic, partition);
    const idsToRecord = decoded.map((envelope, i) =>
      !relevant[i] || envelope instanceof Error || !UUID.test(envelope.eventId) ? null : envelope.eventId.toLowerCase(),
    );
    let applied: EventEnvelope[] = [];
    /** Where the stored checkpoint is once the transaction has committed. */
    let storedAt: string | null = null;
    const gapBefore = await this.dataSource.transaction(async (manager) => {
      const mayStartPast = this.soughtBack.has(key);
      const { nextOffset, fresh } = await this.claim(manager, topic, partition, messages, idsToRecord, mayStartPast);
      if (BigInt(messages[0].offset) > nextOffset && !mayStartPast) {
        this.soughtBack.add(key);
        return nextOffset;
      }
      const toApply = messages.flatMap((message, i) =>
        BigInt(message.offset) >= nextOffset ? [{ message, envelope: decoded[i], relevant: relevant[i] }] : [],
      );
      storedAt = nextOffset.toString();
      if (toApply.length === 0) return null;
      const events = toApply.map(({ message, envelope, relevant }) => {
        if (envelope instanceof Error) throw envelope;
        // An event to apply is recorded as processed under its id, so that id must be one.
        if (relevant && this.deduplicates && !UUID.test(envelope.eventId)) throw new Error(`event id ${envelope.eventId} is not a UUID`);
        const event: ConsumedEvent = { envelope, topic, partition, offset: message.offset };
        return { relevant, event };
      });
      // The same event twice in one batch keeps only its first copy.
      const unseen = events
        .filter(({ relevant, event }) => relevant && (!this.deduplicates || fresh.delete(event.envelope.eventId.toLowerCase())))
        .map(({ event }) => event);
      if (unseen.length > 0) await this.options.handle(unseen, manager);
      applied = unseen.map((e) => e.envelope);
      await this.saveCheckpoint(
        manager,
        topic,
        partition,
        toApply[toApply.length - 1].message.offset,
        events.map((e) => e.event.envelope.eventId),
      );
      storedAt = (BigInt(toApply[toApply.length - 1].message.offset) + 1n).toString();
      this.soughtBack.delete(key);
      return null;
    });
    if (storedAt !== null) this.passOvers.stored(topic, partition, storedAt);
    if (applied.length > 0) this.options.onApplied?.(applied);
    return gapBefore;
  }

  /** Whether the handler uses the event: true for one that could not be read, and whenever appliesTo cannot say no. */
  private applies(envelope: EventEnvelope | Error): boolean {
    const { appliesTo } = this.options;
    if (!appliesTo || envelope instanceof Error) return true;
    try {
      return appliesTo(envelope);
    } catch {
      return true;
    }
  }

  /**
   * Moves the checkpoint past a batch the handler has nothing to do with: kept to be written with
   * the partition's next ones (DeferredPassOvers) where the stored checkpoint is known to be where
   * the batch starts, else written at once if it is there (else false: another instance moved it,
   * or the batch starts past it; the batch then takes the transaction's path, which sorts that out).
   */
  private async passOver(topic: string, partition: number, messages: KafkaMessage[], envelopes: EventEnvelope[]): Promise<boolean> {
    const passOver: PassOver = {
      topic,
      partition,
      from: messages[0].offset,
      to: (BigInt(messages[messages.length - 1].offset) + 1n).toString(),
      eventIds: envelopes.map((envelope) => envelope.eventId),
    };
    if (this.passOvers.keep(passOver)) return true;
    await this.passOvers.settle(topic, partition);
    const moved = await this.moveCheckpointPast(passOver);
    if (moved) this.passOvers.stored(topic, partition, passOver.to);
    return moved;
  }

  private kafkaOffsetIs(topic: string, partition: number, offset: string): void {
    this.offsetsToCommit.set(`${topic}:${partition}`, { topic, partition, offset });
  }

  /** A kept pass-over written (see DeferredPassOvers): one the checkpoint moved away from is dropped; one that fails is kept. */
  private async writePassOver(passOver: PassOver): Promise<boolean> {
    try {
      const moved = await this.moveCheckpointPast(passOver);
      if (moved) this.kafkaOffsetIs(passOver.topic, passOver.partition, passOver.to);
      return moved;
    } catch (error) {
      this.log('warn', 'could not write a pass-over; it is kept and written again', { error: String(error) });
      throw error;
    }
  }

  /**
   * In one statement, moves the checkpoint from `from` to `to` if it is at `from`. The row lock
   * makes it wait for an instance applying this partition. A re-driven event among them is no
   * longer missed: this consumer has nothing to do with it now.
   */
  private async moveCheckpointPast({ topic, partition, from, to, eventIds }: PassOver): Promise<boolean> {
    const [{ moved }] = await queryPrepared<{ moved: boolean }[]>(
      this.dataSource,
      `WITH moved AS (
         UPDATE consumer_checkpoints SET next_offset = $5, updated_at = now()
         WHERE consumer = $1 AND topic = $2 AND partition = $3 AND next_offset = $4 RETURNING 1
       ), redriven AS (
         DELETE FROM consumer_dead_letters WHERE consumer = $1 AND event_id = ANY($6::text[]) AND EXISTS (SELECT 1 FROM moved)
       )
       SELECT EXISTS (SELECT 1 FROM moved) AS moved`,
      [this.options.name, topic, partition, from, to, eventIds],
    );
    return moved;
  }

  private get deduplicates(): boolean {
    return this.options.deduplicate !== false;
  }

  /**
   * In one statement: locks this partition's checkpoint row (so that two instances never apply the
   * same offsets) and reads it, and records the given ids of the events at or past it as processed,
   * answering those not processed before. Nothing is recorded when the batch starts past the
   * checkpoint and may not (`mayStartPast`): it is not applied.
   */
  private async claim(
    manager: EntityManager,
    topic: string,
    partition: number,
    messages: KafkaMessage[],
    /** Per message, the id to record as processed; null for none. */
    idsToRecord: (string | null)[],
    mayStartPast: boolean,
  ): Promise<{ nextOffset: bigint; fresh: Set<string> }> {
    const ids = this.deduplicates ? idsToRecord : [];
    const [row] = await queryPrepared<{ next_offset: string; fresh: string[] }[]>(
      manager,
      `WITH checkpoint AS (
         INSERT INTO consumer_checkpoints (consumer, topic, partition, next_offset) VALUES ($1, $2, $3, 0)
         ON CONFLICT (consumer, topic, partition) DO UPDATE SET next_offset = consumer_checkpoints.next_offset
         RETURNING next_offset
       ), fresh AS (
         INSERT INTO processed_events (consumer, event_id)
         SELECT $1, m.event_id FROM unnest($4::uuid[], $5::bigint[]) AS m(event_id, message_offset) CROSS JOIN checkpoint
         WHERE m.event_id IS NOT NULL AND m.message_offset >= checkpoint.next_offset AND ($6 OR $7::bigint <= checkpoint.next_offset)
         ON CONFLICT DO NOTHING RETURNING event_id
       )
       SELECT (SELECT next_offset FROM checkpoint)::text AS next_offset, ARRAY(SELECT event_id::text FROM fresh) AS fresh`,
      [this.options.name, topic, partition, ids, this.deduplicates ? messages.map((m) => m.offset) : [], mayStartPast, messages[0].offset],
    );
    return { nextOffset: BigInt(row.next_offset), fresh: new Set(row.fresh) };
  }

  private async applyOneWithRetries(topic: string, partition: number, message: KafkaMessage): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.applyInOneTransaction(topic, partition, [message]);
        return;
      } catch (error) {
        if (isTransient(error)) throw error;
        if (attempt < this.maxAttempts) {
          await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt));
          continue;
        }
        this.log('error', 'dead-lettering a message that keeps failing', {
          topic,
          partition,
          offset: message.offset,
          error: error instanceof Error ? error.message : String(error),
        });
        await sendToDeadLetters(this.producer, { consumer: this.options.name, topic, partition, message, error });
        await this.dataSource.transaction(async (manager) => {
          await this.lockCheckpoint(manager, topic, partition);
          await this.saveCheckpoint(manager, topic, partition, message.offset, []);
          await this.recordDeadLetter(manager, topic, partition, message, error);
        });
        return;
      }
    }
  }

  /** Until it is re-driven and applied, the consumer is known to miss this event (a read model answers `degraded`). */
  private async recordDeadLetter(
    manager: EntityManager,
    topic: string,
    partition: number,
    message: KafkaMessage,
    error: unknown,
  ): Promise<void> {
    let eventId: string;
    try {
      eventId = decodeEnvelope(message).eventId;
    } catch {
      eventId = `${topic}:${partition}:${message.offset}`;
    }
    await manager.query(
      `INSERT INTO consumer_dead_letters (consumer, event_id, topic, partition, "offset", error) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (consumer, event_id) DO UPDATE SET error = excluded.error, dead_lettered_at = now()`,
      [
        this.options.name,
        eventId,
        topic,
        partition,
        message.offset,
        (error instanceof Error ? error.message : String(error)).slice(0, 2000),
      ],
    );
  }

  /** Locks this partition's checkpoint row so that two instances never apply the same offsets (the dead-lettering path). */
  private async lockCheckpoint(manager: EntityManager, topic: string, partition: number): Promise<void> {
    await manager.query(
      `INSERT INTO consumer_checkpoints (consumer, topic, partition, next_offset) VALUES ($1, $2, $3, 0)
       ON CONFLICT (consumer, topic, partition) DO UPDATE SET next_offset = consumer_checkpoints.next_offset`,
      [this.options.name, topic, partition],
    );
  }

  /** Moves the checkpoint past `lastOffset`; re-driven events among `appliedIds`, applied at last, are no longer missed. */
  private async saveCheckpoint(manager: EntityManager, topic: string, partition: number, lastOffset: string, appliedIds: string[]) {
    await queryPrepared(
      manager,
      `WITH redriven AS (DELETE FROM consumer_dead_letters WHERE consumer = $1 AND event_id = ANY($5::text[]))
       UPDATE consumer_checkpoints SET next_offset = $4, updated_at = now()
       WHERE consumer = $1 AND topic = $2 AND partition = $3`,
      [this.options.name, topic, partition, (BigInt(lastOffset) + 1n).toString(), appliedIds],
    );
  }

  private log(level: 'info' | 'warn' | 'error', message: string, context?: Record<string, unknown>) {
    this.options.log?.(level, message, { consumer: this.options.name, ...context });
  }
}
