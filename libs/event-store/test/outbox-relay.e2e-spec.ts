import { randomUUID } from 'node:crypto';
import { ConfigResourceTypes, type Admin, type Kafka, type KafkaMessage, type Producer } from 'kafkajs';
import { decodeEnvelope } from '@sangam/messaging';
import { createScratchTopic, deleteScratchTopic, openScratchDatabase, readMessages, testKafka, waitFor } from '@sangam/testing';
import { idempotentProducer, OutboxRelay, LeaderLaneSender, PostgresEventStore } from '../src';

const meta = () => ({ correlationId: randomUUID(), causationId: null, actor: { service: 'test' } });

/** Per stream, the versions in the order Kafka delivered them. */
function versionsByStream(messages: KafkaMessage[]): Map<string, number[]> {
  const byStream = new Map<string, number[]>();
  for (const message of messages) {
    const envelope = decodeEnvelope(message);
    byStream.set(envelope.streamId, [...(byStream.get(envelope.streamId) ?? []), envelope.streamVersion]);
  }
  return byStream;
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe('OutboxRelay against Postgres and Kafka', () => {
  let kafka: Kafka;
  let sender: LeaderLaneSender;
  let db: Awaited<ReturnType<typeof openScratchDatabase>>;
  let store: PostgresEventStore;
  let topic: string;

  beforeAll(() => {
    kafka = testKafka();
  });

  // A producer per test: kafkajs keeps refreshing metadata of topics it sent to, deleted ones included.
  beforeEach(async () => {
    sender = new LeaderLaneSender(kafka);
    db = await openScratchDatabase('relay');
    store = new PostgresEventStore(db.dataSource);
    topic = await createScratchTopic(kafka, 'relay');
  });
  afterEach(async () => {
    await sender.close();
    await db.close();
    await deleteScratchTopic(kafka, topic);
  });

  async function appendToStreams(streams: string[], perStream: number, eventsPerAppend: number) {
    for (let done = 0; done < perStream; done += eventsPerAppend) {
      await Promise.all(
        streams.map((streamId) =>
          store.append(
            {
              streamId,
              streamType: 'test',
              expectedVersion: done,
              events: Array.from({ length: eventsPerAppend }, (_, i) => ({ type: 'Ticked', data: { n: done + i + 1 } })),
            },
            meta(),
          ),
        ),
      );
    }
  }

  async function unpublished(): Promise<number> {
    const [row] = await db.dataSource.query(`SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL`);
    return row.n;
  }

  it('delivers 10,000 events of 100 streams with every stream in order', async () => {
    const streams = range(100).map((i) => `stream-${i}-${randomUUID()}`);
    await appendToStreams(streams, 100, 10);
    const relay = new OutboxRelay(db.dataSource, sender, { topic });
    relay.start();
    const messages = await readMessages(kafka, topic, 10_000);
    await relay.stop();

    const byStream = versionsByStream(messages);
    expect(byStream.size).toBe(100);
    for (const streamId of streams) expect(byStream.get(streamId)).toEqual(range(100));
    expect(messages[0].headers?.type?.toString()).toBe('Ticked');
    expect(await unpublished()).toBe(0);
  });

  it('after a batch smaller than its size, waits for a nudge instead of running an empty transaction at once', async () => {
    const streamId = `nudged-${randomUUID()}`;
    await appendToStreams([streamId], 3, 3);
    // A poll a minute: only the appends' nudges can make it publish again within the test.
    const relay = new OutboxRelay(db.dataSource, sender, { topic, idleMs: 60_000 }, store);
    const rounds = jest.spyOn(relay, 'publishBatch');
    relay.start();
    await waitFor(async () => expect(await unpublished()).toBe(0), 30_000);
    await store.append({ streamId, streamType: 'test', expectedVersion: 3, events: [{ type: 'Ticked', data: { n: 4 } }] }, meta());
    expect(versionsByStream(await readMessages(kafka, topic, 4)).get(streamId)).toEqual(range(4));
    await relay.stop();
    // One round for the first three, one for the nudge of the fourth (each before would have been followed by an empty one).
    expect(rounds).toHaveBeenCalledTimes(2);
  });

  it('sends an append that commits after later positions were sent, and never waits for one in flight to learn where to scan from', async () => {
    const [first, late, other] = [`first-${randomUUID()}`, `late-${randomUUID()}`, `other-${randomUUID()}`];
    const tick = (streamId: string) => ({ streamId, streamType: 'test', expectedVersion: 0, events: [{ type: 'Ticked', data: { n: 1 } }] });
    // Tries the fence before every batch: with nothing in flight it settles, and scans start past what was sent.
    const relay = new OutboxRelay(db.dataSource, sender, { topic, settleEveryMs: 0 });
    await store.append(tick(first), meta());
    expect(await relay.publishBatch()).toBe(1);
    const inFlight = db.dataSource.createQueryRunner();
    await inFlight.startTransaction();
    try {
      await store.appendInTransaction(inFlight.manager, tick(late), meta());
      await store.append(tick(other), meta());
      // The append in flight holds the fence: the relay neither waits for it nor scans past it.
      expect(await relay.publishBatch()).toBe(1);
      await inFlight.commitTransaction();
    } finally {
      await inFlight.release();
    }
    expect(await relay.publishBatch()).toBe(1);
    const delivered = versionsByStream(await readMessages(kafka, topic, 3));
    expect([...delivered.keys()].sort()).toEqual([first, late, other].sort());
    expect(await unpublished()).toBe(0);
  });

  it("delivers, in order, a burst of one stream larger than the broker's largest record batch (1 MiB)", async () => {
    const streamId = `burst-${randomUUID()}`;
    const padding = 'x'.repeat(800);
    await store.append(
      { streamId, streamType: 'test', expectedVersion: 0, events: range(2_000).map((n) => ({ type: 'Ticked', data: { n, padding } })) },
      meta(),
    );
    const relay = new OutboxRelay(db.dataSource, sender, { topic });
    expect(await relay.publishBatch()).toBe(2_000);
    expect(versionsByStream(await readMessages(kafka, topic, 2_000)).get(streamId)).toEqual(range(2_000));
    expect(await unpublished()).toBe(0);
  });

  it('still delivers an event whose relay died after the commit and before the send', async () => {
    const streamId = `s-${randomUUID()}`;
    await appendToStreams([streamId], 3, 3);
    const dying = {
      connect: async () => undefined,
      disconnect: async () => undefined,
      send: async () => Promise.reject(new Error('relay process killed')),
    };
    await expect(
      new OutboxRelay(db.dataSource, new LeaderLaneSender(kafka, () => dying as unknown as Producer), { topic }).publishBatch(),
    ).rejects.toThrow('killed');
    expect(await unpublished()).toBe(3);

    const restarted = new OutboxRelay(db.dataSource, sender, { topic });
    expect(await restarted.publishBatch()).toBe(3);
    const messages = await readMessages(kafka, topic, 3);
    expect(versionsByStream(messages).get(streamId)).toEqual([1, 2, 3]);
    expect(await unpublished()).toBe(0);
  });

  it('re-sends, never loses, a batch whose relay died after the send and before marking it', async () => {
    const streamId = `s-${randomUUID()}`;
    await appendToStreams([streamId], 2, 2);
    const producer = idempotentProducer(kafka);
    const sendsThenDies = {
      connect: () => producer.connect(),
      disconnect: () => producer.disconnect(),
      send: async (record: Parameters<Producer['send']>[0]) => {
        await producer.send(record);
        throw new Error('relay process killed after send');
      },
    };
    await expect(
      new OutboxRelay(db.dataSource, new LeaderLaneSender(kafka, () => sendsThenDies as unknown as Producer), { topic }).publishBatch(),
    ).rejects.toThrow('killed');
    expect(await new OutboxRelay(db.dataSource, sender, { topic }).publishBatch()).toBe(2);

    const versions = versionsByStream(await readMessages(kafka, topic, 4)).get(streamId);
    expect(versions).toEqual([1, 2, 1, 2]);
  });

  it('keeps every stream in order when two relays run at once', async () => {
    const first = new OutboxRelay(db.dataSource, sender, { topic, batchSize: 50, idleMs: 5 });
    const second = new OutboxRelay(db.dataSource, new LeaderLaneSender(kafka), { topic, batchSize: 50, idleMs: 5 });
    first.start();
    second.start();
    const streams = range(20).map((i) => `two-${i}-${randomUUID()}`);
    await appendToStreams(streams, 100, 5);
    const messages = await readMessages(kafka, topic, 2000);
    await Promise.all([first.stop(), second.stop()]);

    const byStream = versionsByStream(messages);
    for (const streamId of streams) expect(byStream.get(streamId)).toEqual(range(100));
  });

  it('marks sent exactly what the broker acknowledged when it refuses one partition a send, then sends the rest with a new producer', async () => {
    // A real refusal of one partition: the topic takes no record batch over 10 kB.
    await setMaxMessageBytes(10_000);
    const others = range(12).map((i) => `other-${i}-${randomUUID()}`);
    await appendToStreams(others, 3, 3);
    const streamId = `big-${randomUUID()}`;
    await store.append(
      {
        streamId,
        streamType: 'test',
        expectedVersion: 0,
        events: [{ n: 1 }, { n: 2, padding: 'x'.repeat(20_000) }, { n: 3 }].map((data) => ({ type: 'Ticked', data })),
      },
      meta(),
    );
    let producers = 0;
    const counted = new LeaderLaneSender(
      kafka,
      () => {
        producers++;
        return idempotentProducer(kafka);
      },
      4_096,
    );
    const relay = new OutboxRelay(db.dataSource, counted, { topic });
    try {
      await expect(relay.publishBatch()).rejects.toThrow(/larger than the max message size/);
      const producersOfFirstBatch = producers;
      // The refused event and the one after it in its partition wait; everything else is sent.
      const waiting = await db.dataSource.query(
        `SELECT e.stream_id, e.stream_version FROM outbox o JOIN events e ON e.global_position = o.position WHERE o.published_at IS NULL ORDER BY o.position`,
      );
      expect(waiting).toEqual([2, 3].map((version) => ({ stream_id: streamId, stream_version: version })));

      await setMaxMessageBytes(1_048_588);
      expect(await relay.publishBatch()).toBe(2);
      // The refused partition's lane sends on a new producer.
      expect(producers).toBe(producersOfFirstBatch + 1);
      const byStream = versionsByStream(await readMessages(kafka, topic, others.length * 3 + 3));
      expect(byStream.get(streamId)).toEqual([1, 2, 3]);
      for (const other of others) expect(byStream.get(other)).toEqual([1, 2, 3]);
      expect(await unpublished()).toBe(0);
    } finally {
      await relay.stop();
    }
  });

  it("sends a batch spanning the partitions of one leader as one produce request, each partition's events in order", async () => {
    const streams = range(24).map((i) => `spread-${i}-${randomUUID()}`);
    await appendToStreams(streams, 3, 3);
    const producer = idempotentProducer(kafka);
    const partitionsPerSend: number[] = [];
    const counting = {
      connect: () => producer.connect(),
      disconnect: () => producer.disconnect(),
      send: (record: Parameters<Producer['send']>[0]) => {
        partitionsPerSend.push(new Set(record.messages.map((message) => message.partition)).size);
        return producer.send(record);
      },
    };
    const relay = new OutboxRelay(db.dataSource, new LeaderLaneSender(kafka, () => counting as unknown as Producer), { topic });
    try {
      expect(await relay.publishBatch()).toBe(72);
      // The test broker leads every partition of the topic: one request, not one per partition (24 keys leave a partition empty now and then).
      expect(partitionsPerSend).toHaveLength(1);
      expect(partitionsPerSend[0]).toBeGreaterThanOrEqual(4);
      const byStream = versionsByStream(await readMessages(kafka, topic, 72));
      for (const streamId of streams) expect(byStream.get(streamId)).toEqual(range(3));
    } finally {
      await relay.stop();
    }
  });

  it('counts nothing of a send the broker refused in part as sent, and loses nothing of it: all of it is sent again', async () => {
    await setMaxMessageBytes(10_000);
    const others = range(12).map((i) => `other-${i}-${randomUUID()}`);
    await appendToStreams(others, 3, 3);
    const streamId = `big-${randomUUID()}`;
    await store.append(
      { streamId, streamType: 'test', expectedVersion: 0, events: [{ type: 'Ticked', data: { n: 1, padding: 'x'.repeat(20_000) } }] },
      meta(),
    );
    const relay = new OutboxRelay(db.dataSource, sender, { topic });
    try {
      // One request carries every partition; the broker wrote the others' and refused the big one's, and kafkajs says only that it failed.
      await expect(relay.publishBatch()).rejects.toThrow(/larger than the max message size/);
      expect(await unpublished()).toBe(others.length * 3 + 1);
      await setMaxMessageBytes(1_048_588);
      expect(await relay.publishBatch()).toBe(others.length * 3 + 1);
      expect(await unpublished()).toBe(0);
      const written = await messagesIn(topic);
      const byStream = versionsByStream(await readMessages(kafka, topic, written));
      expect(byStream.get(streamId)).toEqual([1]);
      // At least once, each stream in order: what the refused request did write (the partitions
      // the broker took) comes again after it; the big event's partition was refused whole.
      const twice = others.filter((other) => byStream.get(other)!.length === 6);
      for (const other of others) expect([range(3), [...range(3), ...range(3)]]).toContainEqual(byStream.get(other));
      expect(twice.length).toBeGreaterThan(0);
      expect(written).toBe(others.length * 3 + 1 + twice.length * 3);
    } finally {
      await relay.stop();
    }
  });

  async function asAdmin<T>(work: (admin: Admin) => Promise<T>): Promise<T> {
    const admin = kafka.admin();
    await admin.connect();
    try {
      return await work(admin);
    } finally {
      await admin.disconnect();
    }
  }

  /** How many messages the topic holds. */
  const messagesIn = (name: string): Promise<number> =>
    asAdmin(async (admin) =>
      (await admin.fetchTopicOffsets(name)).reduce((sum, partition) => sum + Number(partition.high) - Number(partition.low), 0),
    );

  function setMaxMessageBytes(bytes: number): Promise<void> {
    return asAdmin(async (admin) => {
      const resource = { type: ConfigResourceTypes.TOPIC, name: topic };
      await admin.alterConfigs({
        validateOnly: false,
        resources: [{ ...resource, configEntries: [{ name: 'max.message.bytes', value: String(bytes) }] }],
      });
      await waitFor(async () => {
        const { resources } = await admin.describeConfigs({
          includeSynonyms: false,
          resources: [{ ...resource, configNames: ['max.message.bytes'] }],
        });
        expect(resources[0].configEntries[0].configValue).toBe(String(bytes));
      }, 10_000);
    });
  }
});
