import { AssignerProtocol } from 'kafkajs';
import { httpClient, testKafka, waitFor, type HttpClient } from '@sangam/testing';
import { SERVICE_NAMES, type ServiceName } from '../../scripts/supervisor/processes';
import { startSupervisedSystem, until, type SupervisedSystem } from '../supervised-system';
import { depositLoad, expectCountedOnce, moreAcknowledged, reportingShows, type Load } from './deposit-load';

const DATABASE_PREFIX = 'sangam_test_chaos_supervised';

/** How many members each of a service's consumer groups has, and how many partitions each member holds. */
async function groupMembers(service: ServiceName): Promise<Map<string, number[]>> {
  const admin = testKafka().admin();
  await admin.connect();
  try {
    const prefix = `${DATABASE_PREFIX}_${service.replace('-', '_')}.`;
    const ids = (await admin.listGroups()).groups.map((g) => g.groupId).filter((id) => id.startsWith(prefix));
    const { groups } = await admin.describeGroups(ids);
    // Groups of earlier runs on this broker are empty.
    return new Map(
      groups
        .filter((g) => g.state !== 'Empty' && g.state !== 'Dead')
        .map((g) => [
          g.groupId,
          g.state === 'Stable'
            ? g.members.map(
                (m) => Object.values(AssignerProtocol.MemberAssignment.decode(m.memberAssignment)?.assignment ?? {}).flat().length,
              )
            : [],
        ]),
    );
  } finally {
    await admin.disconnect();
  }
}

/**
 * Processes killed (SIGKILL, as the OOM killer or a crash would) under a counted deposit load, in
 * `npm start`'s supervisor. At the end every acknowledged deposit is counted once by groups and by
 * reporting, and reconcile is clean. The time from a restart (or a kill) until reporting has read
 * what was acknowledged is the figure of a consumer's recovery: the group must first let go of
 * the killed member (its session timeout).
 */
describe('chaos: processes SIGKILLed under load', () => {
  let system: SupervisedSystem;
  let groups: HttpClient;
  const figures: Record<string, unknown>[] = [];

  beforeAll(async () => {
    system = await startSupervisedSystem(DATABASE_PREFIX);
    await until('the four services to be up', () => system.status()?.processes.every((p) => p.state === 'up'), 90_000).catch((error) => {
      throw new Error(`${error.message}\nsupervisor said:\n${system.stderr().slice(-5000)}`);
    });
    groups = httpClient(system.urls.groups, 'field1');
  }, 150_000);

  afterAll(async () => {
    await system?.stop();
    console.log(JSON.stringify({ chaos: figures }));
  }, 30_000);

  /** Runs the faults under a load of its own, then counts; the supervisor's words are kept to explain a failure. */
  async function underLoad(label: string, faults: (load: Load) => Promise<void>) {
    try {
      const load = await depositLoad(groups, label);
      await waitFor(() => expect(load.acknowledged.size).toBeGreaterThanOrEqual(3), 60_000);
      await faults(load);
      await moreAcknowledged(load, 3);
      await load.stop();
      await expectCountedOnce(system.urls, groups, load);
      figures.push({ case: label, acknowledged: load.acknowledged.size, attempts: load.attempts, lost: 0, duplicated: 0 });
    } catch (error) {
      throw new Error(`${(error as Error).message}\nsupervisor said:\n${system.stderr().slice(-5000)}`, { cause: error });
    }
  }

  it('restarts each service in turn, the others serving meanwhile, and loses or double-counts no acknowledged deposit', async () => {
    await underLoad('each service killed in turn', async (load) => {
      for (const victim of SERVICE_NAMES) {
        const killed = system.processOf(victim)!;
        const ackedBefore = load.acknowledged.size;
        const killedAt = Date.now();
        process.kill(killed.pid!, 'SIGKILL');
        const back = await until(
          `${victim} to be restarted and up`,
          () => {
            const p = system.processOf(victim);
            return p?.state === 'up' && p.pid !== killed.pid && p;
          },
          90_000,
        );
        const upAt = Date.now();
        const ackedWhileDown = load.acknowledged.size - ackedBefore;
        // Deposits are groups' own: only its death stops them.
        if (victim !== 'groups') expect(ackedWhileDown).toBeGreaterThan(0);
        expect(back).toMatchObject({ restarts: killed.restarts + 1, lastExit: { signal: 'SIGKILL' } });
        const caughtUpAt = await reportingShows(system.urls.reporting, load.totals());
        figures.push({
          killed: victim,
          ackedWhileDown,
          secondsToUp: (upAt - killedAt) / 1000,
          secondsUpToReportingCaughtUp: (caughtUpAt - upAt) / 1000,
        });
        await moreAcknowledged(load, 3);
      }
    });
  }, 900_000);

  it('gives a killed instance’s partitions to the other instance of lending and of reporting, whose views converge', async () => {
    await underLoad('one of two instances killed', async (load) => {
      for (const service of ['lending', 'reporting'] as const) {
        const second = await system.startAnother(service);
        // Every consumer group of the service has both instances, each with partitions of its own.
        await until(
          `${service}'s groups to share their partitions between two instances`,
          async () => {
            const members = [...(await groupMembers(service)).values()];
            return members.length > 0 && members.every((held) => held.length === 2 && held.every((n) => n > 0));
          },
          120_000,
        );
        await moreAcknowledged(load, 3);
        const killedAt = Date.now();
        process.kill(second.pid, 'SIGKILL');
        // Acknowledged after the kill, so some of it is on the partitions the killed instance held.
        await moreAcknowledged(load, 6);
        const caughtUpAt = await reportingShows(system.urls.reporting, load.totals());
        await until(
          `${service}'s groups to have one member left`,
          async () => [...(await groupMembers(service)).values()].every((held) => held.length === 1),
          60_000,
        );
        figures.push({ killed: `second ${service}`, secondsKillToReportingCaughtUp: (caughtUpAt - killedAt) / 1000 });
      }
    });
  }, 900_000);
});
