import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { DEFAULT_DATABASE_URL } from '@sangam/platform';
import { httpClient, tokenFor, waitFor, type HttpClient } from '@sangam/testing';
import { reconcile } from '../../scripts/reconcile/reconcile';
import { startSystem, type RunningSystem } from '../system';

/** The Postgres cluster that serves DATABASE_URL (Debian's pg_ctlcluster names it by version and name). */
function postgresCluster(): [string, string] {
  const port = new URL(process.env.DATABASE_URL || DEFAULT_DATABASE_URL).port || '5432';
  const line = execFileSync('pg_lsclusters', ['--no-header']).toString().split('\n').find((l) => l.split(/\s+/)[2] === port);
  if (!line) throw new Error(`no local Postgres cluster on port ${port}`);
  const [version, name] = line.split(/\s+/);
  return [version, name];
}

interface Load {
  acknowledged: Map<string, number>;
  attempts: number;
  stop: () => Promise<void>;
}

/**
 * Deposits at a steady pace, each with its own Idempotency-Key, retried with that key until the
 * service acknowledges it: what was acknowledged must be counted exactly once, whatever failed.
 */
function depositLoad(groups: HttpClient, shgId: string, memberId: string): Load {
  const acknowledged = new Map<string, number>();
  let running = true;
  let attempts = 0;
  const worker = (async () => {
    for (let n = 1; running; n++) {
      const key = randomUUID();
      const amount = 100 + (n % 7);
      for (;;) {
        attempts++;
        const answer = await groups
          .post(`/shgs/${shgId}/savings/deposits`, { memberId, amount, depositedOn: '2005-06-01' }, { 'Idempotency-Key': key })
          .catch(() => ({ status: 0, body: null }));
        if (answer.status === 201) {
          acknowledged.set(answer.body.id, amount);
          break;
        }
        if (![0, 409, 500, 503].includes(answer.status)) throw new Error(`deposit answered ${answer.status} ${JSON.stringify(answer.body)}`);
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
    stop: async () => {
      running = false;
      await worker;
    },
  };
}

/**
 * Faults under load, then counting (issue 11's chaos suite, the parts that need no supervisor):
 * Postgres restarted, and the Kafka broker stopped for 10 s, while deposits flow. Every
 * acknowledged deposit is in the SHG's savings once, in reporting's statement once, nothing
 * unacknowledged appears, and reconcile finds every view in agreement.
 */
describe('chaos: outages under load', () => {
  let system: RunningSystem;
  let groups: HttpClient;
  const figures: Record<string, unknown>[] = [];

  beforeAll(async () => {
    system = await startSystem('sangam_test_chaos');
    groups = httpClient(system.urls.groups, 'field1');
  }, 120_000);
  afterAll(async () => {
    await system?.stop();
    console.log(JSON.stringify({ chaos: figures }));
  });

  /** The fault runs beside the load (never blocking it), which goes on until well after it. */
  const underLoad = async (fault: string, inject: () => Promise<unknown>) => {
    const shgId = (await groups.post('/shgs', { name: `Chaos ${fault}`, village: 'Kudal', formedOn: '2004-01-15' })).body.id;
    const memberId = (await groups.post(`/shgs/${shgId}/members`, { name: 'Savita', role: 'leader' })).body.id;
    const load = depositLoad(groups, shgId, memberId);
    // Deposits are being acknowledged before the fault, and again after it.
    await waitFor(() => expect(load.acknowledged.size).toBeGreaterThanOrEqual(3), 60_000);
    const faultAt = Date.now();
    const before = load.acknowledged.size;
    await inject();
    await waitFor(() => expect(load.acknowledged.size).toBeGreaterThanOrEqual(before + 3), 120_000);
    await load.stop();
    const expected = [...load.acknowledged.values()].reduce((sum, amount) => sum + amount, 0);
    await waitFor(async () => expect((await groups.get(`/shgs/${shgId}`)).body.members[0].savings).toBe(expected), 60_000);
    const recovered = await waitFor(async () => {
      expect((await httpClient(system.urls.reporting, 'field1').get(`/shgs/${shgId}/statement`)).body).toMatchObject({ savingsBalance: expected });
      return Date.now();
    }, 120_000);
    const report = await reconcile(system.urls, { token: () => tokenFor('auditor1'), catchUpMs: 240_000 });
    expect(report.disagreements).toEqual([]);
    figures.push({ fault, acknowledged: load.acknowledged.size, attempts: load.attempts, lost: 0, duplicated: 0, secondsToRecover: Math.round((recovered - faultAt) / 1000) });
  };

  it('counts every acknowledged deposit once when Postgres restarts under load', async () => {
    const [version, name] = postgresCluster();
    await underLoad('postgres restart', () => promisify(execFile)('pg_ctlcluster', ['--skip-systemctl-redirect', version, name, 'restart']));
  });

  it('counts every acknowledged deposit once when the Kafka broker stops for 10 s', async () => {
    const kafka = join(__dirname, '../../infra/kafka/kafka.sh');
    await underLoad('kafka broker down 10 s', async () => {
      await promisify(execFile)('bash', [kafka, 'stop']);
      await new Promise((resolve) => setTimeout(resolve, 10_000));
      await promisify(execFile)('bash', [kafka, 'start']);
    });
  });
});
