import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { DEFAULT_DATABASE_URL } from '@sangam/platform';
import { httpClient, waitFor, type HttpClient } from '@sangam/testing';
import { startSystem, type RunningSystem } from '../system';
import { depositLoad, expectCountedOnce, moreAcknowledged } from './deposit-load';

/** The Postgres cluster that serves DATABASE_URL (Debian's pg_ctlcluster names it by version and name). */
function postgresCluster(): [string, string] {
  const port = new URL(process.env.DATABASE_URL || DEFAULT_DATABASE_URL).port || '5432';
  const line = execFileSync('pg_lsclusters', ['--no-header'])
    .toString()
    .split('\n')
    .find((l) => l.split(/\s+/)[2] === port);
  if (!line) throw new Error(`no local Postgres cluster on port ${port}`);
  const [version, name] = line.split(/\s+/);
  return [version, name];
}

/**
 * Above the sum of an outage test's own waits: 60 s for the load, up to 100 s for the fault (the
 * broker's stop, 10 s down, its start), 120 s for acknowledgements again, then 60 + 120 s for the
 * counts and 240 s for reconcile's catch-up.
 */
const OUTAGE_TEST_LIMIT_MS = 720_000;

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

  /**
   * The fault runs beside the load (never blocking it), which goes on until well after it. Each
   * wait has a limit of its own and the test's (OUTAGE_TEST_LIMIT_MS) is above their sum, so a
   * slow recovery fails on the wait it outlasted; the seconds of each phase are printed, passed or
   * failed.
   */
  const underLoad = async (fault: string, inject: () => Promise<unknown>) => {
    const phases: Record<string, number> = {};
    let since = Date.now();
    const phase = (name: string) => {
      phases[name] = (Date.now() - since) / 1000;
      since = Date.now();
    };
    try {
      const load = await depositLoad(groups, fault);
      // Deposits are being acknowledged before the fault, and again after it.
      await waitFor(() => expect(load.acknowledged.size).toBeGreaterThanOrEqual(3), 60_000);
      phase('loadStarted');
      const faultAt = Date.now();
      await inject();
      phase('faultInjected');
      await moreAcknowledged(load, 3);
      phase('acknowledgingAgain');
      await load.stop();
      const recovered = await expectCountedOnce(system.urls, groups, load);
      phase('countedOnce');
      figures.push({
        fault,
        acknowledged: load.acknowledged.size,
        attempts: load.attempts,
        lost: 0,
        duplicated: 0,
        secondsToRecover: Math.round((recovered - faultAt) / 1000),
      });
    } finally {
      console.log(JSON.stringify({ fault, secondsPerPhase: phases }));
    }
  };

  it(
    'counts every acknowledged deposit once when Postgres restarts under load',
    async () => {
      const [version, name] = postgresCluster();
      await underLoad('postgres restart', () =>
        promisify(execFile)('pg_ctlcluster', ['--skip-systemctl-redirect', version, name, 'restart']),
      );
    },
    OUTAGE_TEST_LIMIT_MS,
  );

  it(
    'counts every acknowledged deposit once when the Kafka broker stops for 10 s',
    async () => {
      const kafka = join(__dirname, '../../infra/kafka/kafka.sh');
      await underLoad('kafka broker down 10 s', async () => {
        await promisify(execFile)('bash', [kafka, 'stop']);
        await new Promise((resolve) => setTimeout(resolve, 10_000));
        await promisify(execFile)('bash', [kafka, 'start']);
      });
    },
    OUTAGE_TEST_LIMIT_MS,
  );
});
