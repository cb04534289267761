import { randomUUID } from 'node:crypto';
import { decodeEnvelope } from '@sangam/messaging';
import { createScratchTopic, deleteScratchTopic, openScratchDatabase, readMessages, testKafka } from '@sangam/testing';
import { LeaderLaneSender, PostgresEventStore, republishEvents } from '../src';

describe('republishing stored events', () => {
  it('re-sends the stored envelopes from a position on, in order, with their original event ids', async () => {
    const kafka = testKafka();
    const db = await openScratchDatabase('republish');
    const topic = await createScratchTopic(kafka, 'republish');
    const sender = new LeaderLaneSender(kafka);
    try {
      const store = new PostgresEventStore(db.dataSource);
      const meta = { correlationId: randomUUID(), causationId: null, actor: { service: 'test' } };
      for (let version = 0; version < 30; version += 3) {
        const events = [1, 2, 3].map((i) => ({ type: 'Ticked', data: { n: version + i } }));
        await store.append({ streamId: 'ticker', streamType: 'ticker', expectedVersion: version, events }, meta);
      }
      const stored = await store.readStream('ticker');
      const from = BigInt(stored[10].position);

      const progress: number[] = [];
      const result = await republishEvents(store, sender, { topic }, from, ({ published }) => progress.push(published), 7);
      expect(result).toEqual({ published: 20, lastPosition: stored[29].position });
      expect(progress).toEqual([7, 14, 20]);

      const envelopes = (await readMessages(kafka, topic, 20)).map(decodeEnvelope);
      expect(envelopes.map((e) => e.eventId)).toEqual(stored.slice(10).map((e) => e.eventId));
      expect(envelopes.map((e) => e.streamVersion)).toEqual(stored.slice(10).map((e) => e.streamVersion));
    } finally {
      await sender.close();
      await db.close();
      await deleteScratchTopic(kafka, topic);
    }
  });
});
