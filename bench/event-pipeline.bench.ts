import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { Kafka, Producer } from 'kafkajs';
import { OutboxRelay, LeaderLaneSender, PostgresEventStore } from '@sangam/event-store';
import { CheckpointedConsumer, type ConsumedEvent } from '@sangam/messaging';
import { createScratchTopic, deleteScratchTopic, openScratchDatabase, testKafka } from '@sangam/testing';

export interface PipelineResult {
  events: number;
  streams: number;
  eventsPerAppend: number;
  appendEventsPerSecond: number;
  relayEventsPerSecond: number;
  /** Appends and the relay running together, timed until the last event is on Kafka. */
  appendPlusRelayEventsPerSecond: number;
  consumeWithCheckpointEventsPerSecond: number;
}

const perSecond = (events: number, startedAt: bigint) => Math.round(events / (Number(process.hrtime.bigint() - startedAt) / 1e9));

async function appendAll(store: PostgresEventStore, events: number, streams: number, eventsPerAppend: number, concurrency: number) {
  const streamIds = Array.from({ length: streams }, () => randomUUID());
  // Round-robin over streams: concurrent workers never append to the same stream at once.
  const queue = Array.from({ length: events / streams / eventsPerAppend }, () => streamIds).flat();
  const versions = new Map<string, number>();
  const metadata = { correlationId: randomUUID(), causationId: null, actor: { service: 'bench' } };
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < queue.length) {
        const streamId = queue[next++];
        const version = versions.get(streamId) ?? 0;
        versions.set(streamId, version + eventsPerAppend);
        const batch = Array.from({ length: eventsPerAppend }, (_, i) => ({ type: 'Ticked', data: { n: version + i + 1 } }));
        await store.append({ streamId, streamType: 'bench', expectedVersion: version, events: batch }, metadata);
      }
    }),
  );
}

/** Publishes until the outbox is empty and `appending` has ended; returns how many it sent. */
async function relayAll(relay: OutboxRelay, appending: () => boolean): Promise<number> {
  let relayed = 0;
  for (;;) {
    const sent = await relay.publishBatch();
    relayed += sent;
    if (sent === 0 && !appending()) return relayed;
  }
}

async function consumeAll(kafka: Kafka, dataSource: DataSource, producer: Producer, topic: string, expected: number): Promise<void> {
  await dataSource.query(`CREATE TABLE tally (stream_id text PRIMARY KEY, events int NOT NULL)`);
  let consumed = 0;
  let finished: () => void;
  const done = new Promise<void>((resolve) => (finished = resolve));
  const consumer = new CheckpointedConsumer(kafka, dataSource, producer, {
    name: 'bench',
    topics: [topic],
    handle: async (batch: ConsumedEvent[], manager: EntityManager) => {
      await manager.query(
        `INSERT INTO tally (stream_id, events) SELECT stream_id, count(*) FROM unnest($1::text[]) AS s(stream_id) GROUP BY stream_id
         ON CONFLICT (stream_id) DO UPDATE SET events = tally.events + excluded.events`,
        [batch.map((e) => e.envelope.streamId)],
      );
      consumed += batch.length;
      if (consumed >= expected) finished();
    },
  });
  await consumer.start();
  await done;
  await consumer.stop();
}

/** Appends, relays and consumes `events` small events over `streams` streams through the real stack. */
export async function benchEventPipeline(
  events = 100_000,
  streams = 1_000,
  eventsPerAppend = 100,
  concurrency = 8,
): Promise<PipelineResult> {
  const kafka = testKafka();
  const db = await openScratchDatabase('bench', concurrency + 4);
  const topic = await createScratchTopic(kafka, 'bench');
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const store = new PostgresEventStore(db.dataSource);
  const relay = new OutboxRelay(db.dataSource, new LeaderLaneSender(kafka), { topic, batchSize: 5000 });
  try {
    let startedAt = process.hrtime.bigint();
    await appendAll(store, events, streams, eventsPerAppend, concurrency);
    const appendEventsPerSecond = perSecond(events, startedAt);

    startedAt = process.hrtime.bigint();
    const relayEventsPerSecond = perSecond(await relayAll(relay, () => false), startedAt);

    startedAt = process.hrtime.bigint();
    let appending = true;
    const [, relayed] = await Promise.all([
      appendAll(store, events, streams, eventsPerAppend, concurrency).finally(() => (appending = false)),
      relayAll(relay, () => appending),
    ]);
    const appendPlusRelayEventsPerSecond = perSecond(relayed, startedAt);

    startedAt = process.hrtime.bigint();
    await consumeAll(kafka, db.dataSource, producer, topic, 2 * events);
    const consumeWithCheckpointEventsPerSecond = perSecond(2 * events, startedAt);

    return {
      events,
      streams,
      eventsPerAppend,
      appendEventsPerSecond,
      relayEventsPerSecond,
      appendPlusRelayEventsPerSecond,
      consumeWithCheckpointEventsPerSecond,
    };
  } finally {
    await relay.stop();
    await producer.disconnect();
    await db.close();
    await deleteScratchTopic(kafka, topic);
  }
}
