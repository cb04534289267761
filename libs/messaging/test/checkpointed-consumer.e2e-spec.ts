import { randomUUID } from 'node:crypto';
import type { Kafka, Producer } from 'kafkajs';
import type { EntityManager } from 'typeorm';
import { createScratchTopic, deleteScratchTopic, openScratchDatabase, readMessages, testKafka, waitFor } from '@sangam/testing';
import {
  CheckpointedConsumer,
  deadLetterTopic,
  DeadLetterHeaders,
  encodeEnvelope,
  type CheckpointedConsumerOptions,
  type ConsumedEvent,
} from '../src';

const envelope = (streamId: string, n: number, data: object = {}) => ({
  eventId: randomUUID(),
  type: 'Ticked',
  streamId,
  streamVersion: n,
  occurredAt: new Date().toISOString(),
  recordedAt: new Date().toISOString(),
  correlationId: randomUUID(),
  causationId: null,
  actor: null,
  schemaVersion: 1,
  data: { n, ...data },
});

describe('CheckpointedConsumer against Postgres and Kafka', () => {
  let kafka: Kafka;
  let producer: Producer;
  let db: Awaited<ReturnType<typeof openScratchDatabase>>;
  let topic: string;
  const consumers: CheckpointedConsumer[] = [];

  beforeAll(() => {
    kafka = testKafka();
  });

  beforeEach(async () => {
    producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    db = await openScratchDatabase('consumer');
    await db.dataSource.query(`CREATE TABLE applied (event_id uuid NOT NULL, stream_id text NOT NULL, n int NOT NULL)`);
    topic = await createScratchTopic(kafka, 'consumer');
  });

  afterEach(async () => {
    await Promise.all(consumers.splice(0).map((c) => c.stop()));
    await producer.disconnect();
    await db.close();
    await deleteScratchTopic(kafka, topic);
  });

  const recordApplied = async (events: ConsumedEvent[], manager: EntityManager) => {
    await manager.query(`INSERT INTO applied (event_id, stream_id, n) SELECT * FROM unnest($1::uuid[], $2::text[], $3::int[])`, [
      events.map((e) => e.envelope.eventId),
      events.map((e) => e.envelope.streamId),
      events.map((e) => (e.envelope.data as { n: number }).n),
    ]);
  };

  /** A group of this test's own: a bare name would be shared with any other run on the broker, and kafkajs would hand it our partitions. */
  const groupOf = (name: string) => `${name}.${topic}`;

  async function startConsumer(options: Partial<CheckpointedConsumerOptions> & { name: string }) {
    const consumer = new CheckpointedConsumer(kafka, db.dataSource, producer, {
      topics: [topic],
      handle: recordApplied,
      groupId: groupOf(options.name),
      ...options,
    });
    consumers.push(consumer);
    await consumer.start();
    return consumer;
  }

  async function publish(envelopes: ReturnType<typeof envelope>[]) {
    await producer.send({ topic, messages: envelopes.map(encodeEnvelope) });
    return envelopes;
  }

  const streams = (count: number, perStream: number) =>
    Array.from({ length: count }, (_, s) => Array.from({ length: perStream }, (_, i) => envelope(`stream-${s}`, i + 1))).flat();

  async function appliedCounts(): Promise<{ total: number; distinct: number }> {
    const [row] = await db.dataSource.query(`SELECT count(*)::int AS total, count(DISTINCT event_id)::int AS distinct FROM applied`);
    return row;
  }

  async function checkpointTotal(name: string): Promise<number> {
    const [row] = await db.dataSource.query(
      `SELECT coalesce(sum(next_offset), 0)::int AS total FROM consumer_checkpoints WHERE consumer = $1`,
      [name],
    );
    return row.total;
  }

  async function checkpointWrites(): Promise<number> {
    const [row] = await db.dataSource.query(`SELECT count(*)::int AS n FROM checkpoint_writes`);
    return row.n;
  }

  it('applies every event once and stores its checkpoint with the state', async () => {
    await publish(streams(10, 30));
    await startConsumer({ name: 'projection' });
    await waitFor(async () => expect(await appliedCounts()).toEqual({ total: 300, distinct: 300 }));
    await waitFor(async () => expect(await checkpointTotal('projection')).toBe(300));
    const inOrder = await db.dataSource.query(
      `SELECT stream_id FROM (SELECT stream_id, n, lag(n) OVER (PARTITION BY stream_id ORDER BY ctid) AS previous FROM applied) x
       WHERE previous IS NOT NULL AND n <> previous + 1`,
    );
    expect(inOrder).toEqual([]);
  });

  it("tells Kafka the group's offsets, as a hint, by the time it stops", async () => {
    await publish(streams(6, 10));
    const consumer = await startConsumer({ name: 'hinting' });
    await waitFor(async () => expect(await checkpointTotal('hinting')).toBe(60));
    await consumer.stop();
    const admin = kafka.admin();
    await admin.connect();
    try {
      const [{ partitions }] = await admin.fetchOffsets({ groupId: groupOf('hinting'), topics: [topic] });
      const ends = await admin.fetchTopicOffsets(topic);
      expect(partitions.reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0)).toBe(60);
      expect(ends.reduce((sum, p) => sum + Number(p.high), 0)).toBe(60);
    } finally {
      await admin.disconnect();
    }
  });

  it('passes over the events its handler has nothing to do with, moving the checkpoint past them, and applies the others once', async () => {
    const handled: ConsumedEvent[][] = [];
    await startConsumer({
      name: 'selective',
      // Like lending among groups' events: only some types change its views.
      appliesTo: (e) => e.type === 'Mattered',
      handle: async (events, manager) => {
        handled.push(events);
        await recordApplied(events, manager);
      },
    });
    await publish(streams(6, 50));
    await waitFor(async () => expect(await checkpointTotal('selective')).toBe(300), 60_000);
    expect(handled).toEqual([]);
    const recorded = () => db.dataSource.query(`SELECT count(*)::int AS n FROM processed_events WHERE consumer = 'selective'`);
    expect(await recorded()).toEqual([{ n: 0 }]);

    // An operator re-drives an event this consumer once dead-lettered: it has nothing to do with it now, so it no longer misses it.
    const redriven = envelope('stream-0', 99);
    await db.dataSource.query(
      `INSERT INTO consumer_dead_letters (consumer, event_id, topic, partition, "offset", error) VALUES ('selective', $1, $2, 0, 0, 'failing then')`,
      [redriven.eventId, topic],
    );
    await publish([redriven]);
    await waitFor(async () => expect(await checkpointTotal('selective')).toBe(301), 60_000);
    expect(await db.dataSource.query(`SELECT event_id FROM consumer_dead_letters WHERE consumer = 'selective'`)).toEqual([]);
    expect(handled).toEqual([]);

    const mattered = await publish([1, 2, 3].map((n) => ({ ...envelope('stream-0', 50 + n), type: 'Mattered' })));
    await waitFor(async () => expect(await checkpointTotal('selective')).toBe(304), 60_000);
    expect(await appliedCounts()).toEqual({ total: 3, distinct: 3 });
    expect(handled.flat().map((e) => e.envelope.eventId)).toEqual(mattered.map((e) => e.eventId));
    expect(await recorded()).toEqual([{ n: 3 }]);
  });

  it('in a batch mixing events it applies with others, records and hands over only those it applies', async () => {
    // Published before the consumer starts, to one stream (one partition): its first fetch brings them as one batch.
    const mixed = await publish(
      Array.from({ length: 10 }, (_, i) => {
        const event = envelope('stream-0', i + 1);
        if (i % 2 === 0) return { ...event, type: 'Mattered' };
        // An event it does not apply is not recorded, so its id need not be a UUID.
        return i === 1 ? { ...event, eventId: 'not-a-uuid' as typeof event.eventId } : event;
      }),
    );
    const handled: ConsumedEvent[] = [];
    await startConsumer({
      name: 'mixed',
      appliesTo: (e) => e.type === 'Mattered',
      handle: async (events, manager) => {
        handled.push(...events);
        await recordApplied(events, manager);
      },
    });
    await waitFor(async () => expect(await checkpointTotal('mixed')).toBe(10), 60_000);
    const matteredIds = mixed.filter((e) => e.type === 'Mattered').map((e) => e.eventId);
    expect(handled.map((e) => e.envelope.eventId)).toEqual(matteredIds);
    const recorded = await db.dataSource.query(`SELECT event_id FROM processed_events WHERE consumer = 'mixed' ORDER BY processed_at`);
    expect(recorded.map((row: { event_id: string }) => row.event_id).sort()).toEqual([...matteredIds].sort());
    expect(await db.dataSource.query(`SELECT event_id FROM consumer_dead_letters WHERE consumer = 'mixed'`)).toEqual([]);
  });

  it('writes the checkpoint past the batches it passes over now and then, not once a batch', async () => {
    await db.dataSource.query(`
      CREATE TABLE checkpoint_writes (n int NOT NULL);
      CREATE FUNCTION count_checkpoint_write() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN INSERT INTO checkpoint_writes VALUES (1); RETURN NEW; END $$;
      CREATE TRIGGER counted AFTER UPDATE ON consumer_checkpoints FOR EACH ROW EXECUTE FUNCTION count_checkpoint_write()`);
    await startConsumer({ name: 'sparse', appliesTo: (e) => e.type === 'Mattered' });
    await publish([{ ...envelope('stream-0', 1), type: 'Mattered' }]);
    await waitFor(async () => expect(await checkpointTotal('sparse')).toBe(1), 60_000);
    const writesBefore = await checkpointWrites();
    // One stream, so one partition: 40 sends a little apart, each fetched as a batch of its own.
    for (let n = 2; n <= 41; n++) {
      await publish([envelope('stream-0', n)]);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    await waitFor(async () => expect(await checkpointTotal('sparse')).toBe(41), 60_000);
    expect((await checkpointWrites()) - writesBefore).toBeLessThan(15);
  });

  it('passes over an event it has nothing to do with whatever its id, even where no checkpoint was stored yet', async () => {
    await startConsumer({ name: 'first-pass', appliesTo: (e) => e.type === 'Mattered' });
    // A new consumer has no checkpoint row to move: its first batch takes the transaction's path.
    await publish([{ ...envelope('stream-0', 1), eventId: 'not-a-uuid' as ReturnType<typeof envelope>['eventId'] }]);
    await waitFor(async () => expect(await checkpointTotal('first-pass')).toBe(1), 60_000);
    expect(await db.dataSource.query(`SELECT event_id FROM consumer_dead_letters WHERE consumer = 'first-pass'`)).toEqual([]);
    expect(await appliedCounts()).toEqual({ total: 0, distinct: 0 });
  });

  it('does not double-apply after a crash between the database commit and the Kafka offset commit', async () => {
    await publish(streams(5, 20));
    const first = await startConsumer({ name: 'crashy', deduplicate: false });
    await waitFor(async () => expect((await appliedCounts()).total).toBe(100));
    await first.stop();
    // As if the Kafka commits never happened: the group's offsets go back to the beginning.
    const admin = kafka.admin();
    await admin.connect();
    await admin.resetOffsets({ groupId: groupOf('crashy'), topic, earliest: true });
    await admin.disconnect();

    await startConsumer({ name: 'crashy', deduplicate: false });
    await publish(streams(1, 10).map((e) => ({ ...e, streamId: 'after-restart' })));
    await waitFor(async () => expect((await appliedCounts()).total).toBe(110));
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await appliedCounts()).toEqual({ total: 110, distinct: 110 });
  });

  it('loses nothing when the process dies in the middle of a batch', async () => {
    await publish(streams(6, 50));
    let crashed = false;
    await startConsumer({
      name: 'mid-batch',
      deduplicate: false,
      handle: async (events, manager) => {
        await recordApplied(events, manager);
        if (!crashed && events.length > 1) {
          crashed = true;
          // The database connection dies with the batch half written: the transaction is lost.
          await manager.query('SELECT pg_terminate_backend(pg_backend_pid())');
        }
      },
    });
    await waitFor(async () => expect(await appliedCounts()).toEqual({ total: 300, distinct: 300 }), 60000);
    expect(crashed).toBe(true);
  });

  it('dead-letters a poison message and goes on with the rest of the partition', async () => {
    const good = streams(1, 10);
    const poison = envelope('stream-0', 99, { poison: true });
    await publish([...good.slice(0, 5), poison, ...good.slice(5)]);
    await producer.send({ topic, messages: [{ key: 'stream-0', value: 'not json at all' }] });
    await startConsumer({
      name: 'strict',
      handle: async (events, manager) => {
        if (events.some((e) => (e.envelope.data as { poison?: boolean }).poison)) throw new Error('cannot apply a poisoned event');
        await recordApplied(events, manager);
      },
    });
    await waitFor(async () => expect(await appliedCounts()).toEqual({ total: 10, distinct: 10 }), 60000);
    const dead = await readMessages(kafka, deadLetterTopic(topic), 2);
    const errors = dead.map((m) => m.headers?.[DeadLetterHeaders.error]?.toString()).sort();
    expect(errors[0]).toContain('cannot apply a poisoned event');
    expect(errors[1]).toContain('not JSON');
    expect(dead.every((m) => m.headers?.[DeadLetterHeaders.consumer]?.toString() === 'strict')).toBe(true);
    await waitFor(async () => expect(await checkpointTotal('strict')).toBe(12));
  });

  it('applies each event exactly once with two instances in one group', async () => {
    await startConsumer({ name: 'scaled', deduplicate: false });
    await startConsumer({ name: 'scaled', deduplicate: false });
    await publish(streams(30, 20));
    await waitFor(async () => expect((await appliedCounts()).total).toBeGreaterThanOrEqual(600), 60000);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await appliedCounts()).toEqual({ total: 600, distinct: 600 });
  });

  it('skips an event delivered again under a new offset (republish, re-drive)', async () => {
    const events = streams(2, 5);
    await publish(events);
    await publish(events.slice(0, 4));
    await startConsumer({ name: 'deduplicating' });
    await waitFor(async () => expect(await checkpointTotal('deduplicating')).toBe(14));
    expect(await appliedCounts()).toEqual({ total: 10, distinct: 10 });
  });

  it('tells onApplied of each applied event once, when its effect is already committed (the lag metric)', async () => {
    const events = streams(2, 5);
    await publish(events);
    await publish(events.slice(0, 4));
    const told: string[] = [];
    // Asked on another connection as soon as the consumer tells: an uncommitted row would not be seen.
    const seenWhenTold: Promise<boolean>[] = [];
    const committed = async (eventId: string) =>
      (await db.dataSource.query(`SELECT 1 FROM applied WHERE event_id = $1`, [eventId])).length === 1;
    await startConsumer({
      name: 'measured',
      onApplied: (envelopes) => {
        told.push(...envelopes.map((e) => e.eventId));
        seenWhenTold.push(...envelopes.map((e) => committed(e.eventId)));
      },
    });
    await waitFor(async () => expect(await checkpointTotal('measured')).toBe(14));
    expect([...told].sort()).toEqual(events.map((e) => e.eventId).sort());
    expect(await Promise.all(seenWhenTold)).toEqual(told.map(() => true));
  });

  it('reads a lost and recreated topic from its beginning, though its old checkpoints lie past the new end', async () => {
    await publish(streams(4, 5));
    const first = await startConsumer({ name: 'survivor' });
    await waitFor(async () => expect((await appliedCounts()).total).toBe(20));
    await first.stop();

    await recreateTopic();
    const after = streams(2, 3).map((e) => ({ ...e, streamId: `new-${e.streamId}` }));
    await publish(after);
    await startConsumer({ name: 'survivor' });
    await waitFor(async () => expect(await appliedCounts()).toEqual({ total: 26, distinct: 26 }), 60000);
  });

  it("applies again what a database restored from an older backup lost, though Kafka's offsets are ahead", async () => {
    await publish(streams(3, 10));
    const first = await startConsumer({ name: 'restored' });
    await waitFor(async () => expect((await appliedCounts()).total).toBe(30));
    await first.stop();
    // The backup predates all of it: no rows, no checkpoints, no processed ids.
    await db.dataSource.query(`DELETE FROM applied; DELETE FROM processed_events; DELETE FROM consumer_checkpoints`);

    await startConsumer({ name: 'restored' });
    await waitFor(async () => expect(await appliedCounts()).toEqual({ total: 30, distinct: 30 }), 60000);
  });

  async function recreateTopic() {
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [topic] });
    // Deletion completes in the background; the name is free once creation succeeds.
    await waitFor(
      async () => {
        const created = await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 6 }] });
        expect(created).toBe(true);
      },
      30000,
      500,
    );
    await admin.disconnect();
  }
});
