import { randomUUID } from 'node:crypto';
import type { Kafka, KafkaMessage, Producer } from 'kafkajs';
import { decodeEnvelope } from '@sangam/messaging';
import { createScratchTopic, deleteScratchTopic, openScratchDatabase, readMessages, testKafka } from '@sangam/testing';
import { OutboxRelay, PostgresEventStore } from '../src';

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
  let producer: Producer;
  let db: Awaited<ReturnType<typeof openScratchDatabase>>;
  let store: PostgresEventStore;
  let topic: string;

  beforeAll(() => {
    kafka = testKafka();
  });

  // A producer per test: kafkajs keeps refreshing metadata of topics it sent to, deleted ones included.
  beforeEach(async () => {
    producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    db = await openScratchDatabase('relay');
    store = new PostgresEventStore(db.dataSource);
    topic = await createScratchTopic(kafka, 'relay');
  });
  afterEach(async () => {
    await producer.disconnect();
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
    const relay = new OutboxRelay(db.dataSource, producer, { topic });
    relay.start();
    const messages = await readMessages(kafka, topic, 10_000);
    await relay.stop();

    const byStream = versionsByStream(messages);
    expect(byStream.size).toBe(100);
    for (const streamId of streams) expect(byStream.get(streamId)).toEqual(range(100));
    expect(messages[0].headers?.type?.toString()).toBe('Ticked');
    expect(await unpublished()).toBe(0);
  });

  it("delivers, in order, a burst of one stream larger than the broker's largest record batch (1 MiB)", async () => {
    const streamId = `burst-${randomUUID()}`;
    const padding = 'x'.repeat(800);
    await store.append(
      { streamId, streamType: 'test', expectedVersion: 0, events: range(2_000).map((n) => ({ type: 'Ticked', data: { n, padding } })) },
      meta(),
    );
    const relay = new OutboxRelay(db.dataSource, producer, { topic });
    expect(await relay.publishBatch()).toBe(2_000);
    expect(versionsByStream(await readMessages(kafka, topic, 2_000)).get(streamId)).toEqual(range(2_000));
    expect(await unpublished()).toBe(0);
  });

  it('still delivers an event whose relay died after the commit and before the send', async () => {
    const streamId = `s-${randomUUID()}`;
    await appendToStreams([streamId], 3, 3);
    const dying = { send: async () => Promise.reject(new Error('relay process killed')) } as unknown as Producer;
    await expect(new OutboxRelay(db.dataSource, dying, { topic }).publishBatch()).rejects.toThrow('killed');
    expect(await unpublished()).toBe(3);

    const restarted = new OutboxRelay(db.dataSource, producer, { topic });
    expect(await restarted.publishBatch()).toBe(3);
    const messages = await readMessages(kafka, topic, 3);
    expect(versionsByStream(messages).get(streamId)).toEqual([1, 2, 3]);
    expect(await unpublished()).toBe(0);
  });

  it('re-sends, never loses, a batch whose relay died after the send and before marking it', async () => {
    const streamId = `s-${randomUUID()}`;
    await appendToStreams([streamId], 2, 2);
    const sendsThenDies = {
      send: async (record: Parameters<Producer['send']>[0]) => {
        await producer.send(record);
        throw new Error('relay process killed after send');
      },
    } as unknown as Producer;
    await expect(new OutboxRelay(db.dataSource, sendsThenDies, { topic }).publishBatch()).rejects.toThrow('killed');
    expect(await new OutboxRelay(db.dataSource, producer, { topic }).publishBatch()).toBe(2);

    const versions = versionsByStream(await readMessages(kafka, topic, 4)).get(streamId);
    expect(versions).toEqual([1, 2, 1, 2]);
  });

  it('keeps every stream in order when two relays run at once', async () => {
    const first = new OutboxRelay(db.dataSource, producer, { topic, batchSize: 50, idleMs: 5 });
    const secondProducer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await secondProducer.connect();
    const second = new OutboxRelay(db.dataSource, secondProducer, { topic, batchSize: 50, idleMs: 5 });
    first.start();
    second.start();
    const streams = range(20).map((i) => `two-${i}-${randomUUID()}`);
    await appendToStreams(streams, 100, 5);
    const messages = await readMessages(kafka, topic, 2000);
    await Promise.all([first.stop(), second.stop()]);
    await secondProducer.disconnect();

    const byStream = versionsByStream(messages);
    for (const streamId of streams) expect(byStream.get(streamId)).toEqual(range(100));
  });
});
