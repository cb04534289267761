import { randomUUID } from 'node:crypto';
import type { Kafka, Producer } from 'kafkajs';
import { createScratchTopic, deleteScratchTopic, openScratchDatabase, testKafka, waitFor } from '@sangam/testing';
import { CheckpointedConsumer, encodeEnvelope, listDeadLetters, redriveDeadLetter } from '../src';

describe('dead-letter administration', () => {
  let kafka: Kafka;
  let producer: Producer;
  let db: Awaited<ReturnType<typeof openScratchDatabase>>;
  let topic: string;
  let consumer: CheckpointedConsumer;

  beforeAll(async () => {
    kafka = testKafka();
    producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    db = await openScratchDatabase('dlq_admin');
    await db.dataSource.query(`CREATE TABLE applied (event_id uuid PRIMARY KEY)`);
    topic = await createScratchTopic(kafka, 'dlq-admin');
  });

  afterAll(async () => {
    await consumer.stop();
    await producer.disconnect();
    await db.close();
    await deleteScratchTopic(kafka, topic);
  });

  it('lists a dead letter, re-drives it after the fix, and the consumer applies it once', async () => {
    let fixed = false;
    consumer = new CheckpointedConsumer(kafka, db.dataSource, producer, {
      name: 'picky',
      // A group of this run's own, not one shared with other runs on the broker.
      groupId: `picky.${topic}`,
      topics: [topic],
      maxAttempts: 1,
      handle: async (events, manager) => {
        if (!fixed && events.some((e) => e.envelope.type === 'Surprising')) throw new Error('no handler for Surprising yet');
        await manager.query(`INSERT INTO applied (event_id) SELECT unnest($1::uuid[])`, [events.map((e) => e.envelope.eventId)]);
      },
    });
    await consumer.start();
    const envelope = (type: string) => ({
      eventId: randomUUID(),
      type,
      streamId: 's1',
      streamVersion: 1,
      occurredAt: '',
      recordedAt: '',
      correlationId: randomUUID(),
      causationId: null,
      actor: null,
      schemaVersion: 1,
      data: {},
    });
    const surprising = envelope('Surprising');
    await producer.send({
      topic,
      messages: [encodeEnvelope(envelope('Ordinary')), encodeEnvelope(surprising), encodeEnvelope(envelope('Ordinary'))],
    });

    const [letter] = await waitFor(async () => {
      const letters = await listDeadLetters(kafka, [topic]);
      expect(letters).toHaveLength(1);
      return letters;
    });
    expect(letter).toMatchObject({
      consumer: 'picky',
      eventType: 'Surprising',
      eventId: surprising.eventId,
      sourceTopic: topic,
      redrivenAt: null,
    });
    expect(letter.error).toContain('no handler for Surprising yet');
    await waitFor(async () => expect((await db.dataSource.query(`SELECT * FROM applied`)).length).toBe(2));

    fixed = true;
    await redriveDeadLetter(kafka, letter);
    await waitFor(async () =>
      expect(await db.dataSource.query(`SELECT event_id FROM applied WHERE event_id = $1`, [surprising.eventId])).toHaveLength(1),
    );
    const [after] = await listDeadLetters(kafka, [topic]);
    expect(after.redrivenAt).not.toBeNull();
  });
});
