import { randomUUID } from 'node:crypto';
import { Partitioners, type Kafka } from 'kafkajs';
import { Topics } from '@sangam/messaging';
import { httpClient, testKafka, tokenFor, waitFor, type HttpClient } from '@sangam/testing';
import { reconcile } from '../../scripts/reconcile/reconcile';
import type { ServiceUrls } from '../../scripts/demo/sangam-client';

export interface Load {
  acknowledged: Map<string, { shgId: string; amount: number }>;
  attempts: number;
  /** What has been acknowledged so far, in paise, per SHG. */
  totals(): Map<string, number>;
  stop: () => Promise<void>;
}

interface Depositor {
  shgId: string;
  memberId: string;
}

/**
 * An SHG (with a member) on each partition of the groups topic, so that every partition, and so
 * every broker leading one and every consumer instance given one, carries deposits.
 */
async function depositorOnEveryPartition(groups: HttpClient, label: string, kafka: Kafka): Promise<Depositor[]> {
  const admin = kafka.admin();
  await admin.connect();
  const [{ partitions }] = (await admin.fetchTopicMetadata({ topics: [Topics.groups] })).topics;
  await admin.disconnect();
  const partitioner = Partitioners.DefaultPartitioner();
  const shgOf = new Map<number, string>();
  while (shgOf.size < partitions.length) {
    const shgId: string = (await groups.post('/shgs', { name: `Chaos ${label}`, village: 'Kudal', formedOn: '2004-01-15' })).body.id;
    const partition = partitioner({ topic: Topics.groups, partitionMetadata: partitions, message: { key: shgId, value: null } });
    if (!shgOf.has(partition)) shgOf.set(partition, shgId);
  }
  return Promise.all(
    [...shgOf.values()].map(async (shgId) => ({
      shgId,
      memberId: (await groups.post(`/shgs/${shgId}/members`, { name: 'Savita', role: 'leader' })).body.id,
    })),
  );
}

/**
 * Deposits at a steady pace into an SHG of each partition in turn, each with its own
 * Idempotency-Key, retried with that key until the service acknowledges it: what was
 * acknowledged must be counted exactly once, whatever failed.
 */
export async function depositLoad(groups: HttpClient, label: string, kafka: Kafka = testKafka()): Promise<Load> {
  const depositors = await depositorOnEveryPartition(groups, label, kafka);
  const acknowledged = new Map<string, { shgId: string; amount: number }>();
  let running = true;
  let attempts = 0;
  const worker = (async () => {
    for (let n = 1; running; n++) {
      const { shgId, memberId } = depositors[n % depositors.length];
      const key = randomUUID();
      const amount = 100 + (n % 7);
      for (;;) {
        attempts++;
        const answer = await groups
          .post(`/shgs/${shgId}/savings/deposits`, { memberId, amount, depositedOn: '2005-06-01' }, { 'Idempotency-Key': key })
          .catch(() => ({ status: 0, body: null }));
        if (answer.status === 201) {
          acknowledged.set(answer.body.id, { shgId, amount });
          break;
        }
        if (![0, 409, 500, 503].includes(answer.status))
          throw new Error(`deposit answered ${answer.status} ${JSON.stringify(answer.body)}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  return {
    acknowledged,
    get attempts() {
      return attempts;
    },
    totals: () => {
      const totals = new Map(depositors.map(({ shgId }) => [shgId, 0]));
      for (const { shgId, amount } of acknowledged.values()) totals.set(shgId, totals.get(shgId)! + amount);
      return totals;
    },
    stop: async () => {
      running = false;
      await worker;
    },
  };
}

/** Waits until at least `more` deposits beyond those acknowledged now are acknowledged. */
export async function moreAcknowledged(load: Load, more: number, timeoutMs = 120_000): Promise<void> {
  const before = load.acknowledged.size;
  await waitFor(() => expect(load.acknowledged.size).toBeGreaterThanOrEqual(before + more), timeoutMs);
}

/** Waits until reporting's statement of every SHG of the load shows at least the totals given. */
export async function reportingShows(reportingUrl: string, totals: Map<string, number>, timeoutMs = 120_000): Promise<number> {
  const reporting = httpClient(reportingUrl, 'field1');
  return waitFor(
    async () => {
      for (const [shgId, total] of totals)
        expect((await reporting.get(`/shgs/${shgId}/statement`)).body.savingsBalance).toBeGreaterThanOrEqual(total);
      return Date.now();
    },
    timeoutMs,
    250,
  );
}

/**
 * Once the load has stopped: every acknowledged deposit is in its SHG's savings once and in
 * reporting's statement once (nothing unacknowledged appears), and reconcile finds every view in
 * agreement. Answers when reporting showed the totals.
 */
export async function expectCountedOnce(urls: ServiceUrls, groups: HttpClient, load: Load): Promise<number> {
  const reporting = httpClient(urls.reporting, 'field1');
  const totals = load.totals();
  await waitFor(async () => {
    for (const [shgId, total] of totals) expect((await groups.get(`/shgs/${shgId}`)).body.members[0].savings).toBe(total);
  }, 60_000);
  const inReporting = await waitFor(async () => {
    for (const [shgId, total] of totals)
      expect((await reporting.get(`/shgs/${shgId}/statement`)).body).toMatchObject({ savingsBalance: total });
    return Date.now();
  }, 120_000);
  const report = await reconcile(urls, { token: () => tokenFor('auditor1'), catchUpMs: 240_000 });
  expect(report.disagreements).toEqual([]);
  return inReporting;
}
