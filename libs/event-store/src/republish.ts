import { encodeEnvelope } from '@sangam/messaging';
import type { PostgresEventStore } from './event-store';
import type { LeaderLaneSender } from './leader-lane-sender';
import type { EventPublication } from './published-language';
import { toEnvelope } from './stored-event';

export interface RepublishProgress {
  published: number;
  lastPosition: string;
}

/**
 * Sends a service's stored events again, in global position order, from `fromPosition`
 * (inclusive). The envelopes are the original ones (same eventId), so consumers that already
 * applied an event skip it.
 */
export async function republishEvents(
  store: PostgresEventStore,
  sender: LeaderLaneSender,
  { topic, publish = toEnvelope }: EventPublication,
  fromPosition: bigint,
  onProgress: (progress: RepublishProgress) => void = () => undefined,
  batchSize = 2000,
): Promise<RepublishProgress> {
  let after = (fromPosition - 1n).toString();
  let published = 0;
  for (;;) {
    const events = await store.readAll(after, batchSize);
    if (events.length === 0) return { published, lastPosition: after };
    await sender.sendAll(
      topic,
      events.map((event) => encodeEnvelope(publish(event))),
    );
    published += events.length;
    after = events[events.length - 1].position;
    onProgress({ published, lastPosition: after });
  }
}
