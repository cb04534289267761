/** Offsets of one partition a consumer passed over: its checkpoint moves from `from` to `to`. */
export interface PassOver {
  topic: string;
  partition: number;
  from: string;
  to: string;
  /** The events' ids: a re-driven one among them is no longer missed. */
  eventIds: string[];
}

/** Writes a pass-over if the stored checkpoint is still at its `from`; false when it was not (nothing written). */
export type WritePassOver = (passOver: PassOver) => Promise<boolean>;

/** Beyond this many event ids a partition's pass-over is written at once rather than kept. */
const MAX_KEPT_EVENT_IDS = 5_000;

const keyOf = (topic: string, partition: number) => `${topic}:${partition}`;

/**
 * A consumer's pass-overs (batches its handler has nothing to do with), kept in memory and written
 * now and then as one checkpoint move per partition, instead of a statement per batch: most of what
 * a consumer reads is passed over (about one statement per deposit across the services), and a
 * checkpoint that lags over events the consumer does not apply costs nothing but reading them again.
 *
 * A batch is kept only where the stored checkpoint is known to be where the batch starts (this
 * instance wrote or read it there), and each write is conditional on it still being there. So a
 * write never moves a checkpoint another instance has moved: it is dropped, and whoever owns the
 * partition reads those offsets again. A write that fails is kept and tried again. Before a partition's checkpoint is read (a batch to apply,
 * a rebalance) and when the consumer stops, what is kept for it is written first.
 */
export class DeferredPassOvers {
  private readonly kept = new Map<string, PassOver>();
  /** Per partition, the next offset this instance last knew its stored checkpoint to be at. */
  private readonly storedAt = new Map<string, string>();
  private readonly writing = new Map<string, Promise<unknown>>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly write: WritePassOver,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    // A failed write is kept and tried again on the next tick (or before the partition's next batch to apply).
    this.timer = setInterval(() => void this.writeAll().catch(() => undefined), this.intervalMs);
    this.timer.unref();
  }

  /** Writes everything kept, and waits for it; what cannot be written now is read again after a restart. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.writeAll().catch(() => undefined);
  }

  /** The stored checkpoint of the partition is now at `next` (this instance just wrote or read it). */
  stored(topic: string, partition: number, next: string): void {
    this.storedAt.set(keyOf(topic, partition), next);
  }

  /**
   * Keeps the batch's pass-over for a later write: true, when the checkpoint is known to reach the
   * batch's first offset once what is kept is written. False when it is not known (the caller then
   * writes it at once).
   */
  keep(passOver: PassOver): boolean {
    const key = keyOf(passOver.topic, passOver.partition);
    const kept = this.kept.get(key);
    if (kept && kept.to === passOver.from && kept.eventIds.length + passOver.eventIds.length <= MAX_KEPT_EVENT_IDS) {
      kept.to = passOver.to;
      kept.eventIds.push(...passOver.eventIds);
      return true;
    }
    if (kept || this.storedAt.get(key) !== passOver.from) return false;
    this.kept.set(key, { ...passOver, eventIds: [...passOver.eventIds] });
    return true;
  }

  /** Whether a pass-over of the partition is kept, not yet written. */
  keeps(topic: string, partition: number): boolean {
    return this.kept.has(keyOf(topic, partition));
  }

  /**
   * Writes what is kept for the partition and waits for any write of it under way: before its
   * checkpoint is read. Throws when the write fails: the batch waiting for it fails too, and is tried again.
   */
  async settle(topic: string, partition: number): Promise<void> {
    const key = keyOf(topic, partition);
    // The write under way, if it fails, is kept again: written (or thrown) just below.
    await this.writing.get(key)?.catch(() => undefined);
    await this.writeKept(key);
  }

  async writeAll(): Promise<void> {
    await Promise.all([...this.kept.keys()].map((key) => this.writeKept(key)));
  }

  private async writeKept(key: string): Promise<void> {
    const passOver = this.kept.get(key);
    if (!passOver) return;
    // Taken out before the write: a batch that follows is kept anew, from where this one ends.
    this.kept.delete(key);
    this.storedAt.set(key, passOver.to);
    const written = this.write(passOver).then(
      (moved) => {
        if (!moved) this.storedAt.delete(key);
      },
      (error: unknown) => {
        this.putBack(key, passOver);
        throw error;
      },
    );
    this.writing.set(key, written);
    try {
      await written;
    } finally {
      if (this.writing.get(key) === written) this.writing.delete(key);
    }
  }

  /**
   * A pass-over whose write failed (the database away) is kept again, joined to what was kept
   * since: dropping it would leave the stored checkpoint behind offsets the consumer has read
   * past, and the next batch to apply would find a gap before it.
   */
  private putBack(key: string, passOver: PassOver): void {
    const since = this.kept.get(key);
    this.kept.set(key, since ? { ...passOver, to: since.to, eventIds: [...passOver.eventIds, ...since.eventIds] } : passOver);
    this.storedAt.set(key, passOver.from);
  }
}
