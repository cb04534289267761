import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Pool } from 'pg';
import { connectTestDatabase, devUserId, startService, tokenFor } from '@sangam/testing';
import { GroupsModule } from '../apps/groups/src/groups.module';
import { groupsClient } from '../apps/groups/test/groups-client';
import { plainDatabase } from './append.bench';
import { medianOfRuns, runLoadScript } from './measure';
import { profiled, type SelfTimeEntry } from './profile';

/** The connection counts; BENCH_DEPOSIT_CONNECTIONS=16 (say) runs only some, to try a change quickly. */
export const DEPOSIT_CONNECTIONS = (process.env.BENCH_DEPOSIT_CONNECTIONS ?? '1,16,64').split(',').map(Number);

export interface DepositLoadResult {
  connections: number;
  /** Deposits answered 2xx per second. */
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Answered 2xx but not in the event store afterwards (over all three runs): must be 0. */
  lost: number;
  refused: number;
  errors: number;
}

export interface HttpDepositsResult {
  cases: DepositLoadResult[];
  /** With BENCH_PROFILE set: the top self-time entries of the service's process under the 16-connection load. */
  profile?: { file: string; top: SelfTimeEntry[] };
}

/** What the load is pointed at: a service that takes deposits to an SHG, and a way to find them in its store afterwards. */
interface DepositTarget {
  url: string;
  token: () => Promise<string | undefined>;
  /** A new SHG with 20 members, set up through the API: every run starts from the same state. */
  freshShg: () => Promise<{ shgId: string; memberIds: string[]; formedOn: string }>;
  /** How many of these deposit ids the store holds. */
  stored: (depositIds: string[]) => Promise<number>;
}

const MEMBERS = 20;
const FORMED_ON = '2005-04-01'; // groupsClient's

type LoadAnswer = Omit<DepositLoadResult, 'connections' | 'lost'> & { accepted: string[] };

/** `seconds` of deposits at each number of connections, three runs each on a new SHG; medians, loss summed. */
async function loadDeposits(target: DepositTarget, seconds: number, profileRun?: (run: () => Promise<LoadAnswer>) => Promise<LoadAnswer>) {
  const cases: DepositLoadResult[] = [];
  for (const connections of DEPOSIT_CONNECTIONS) {
    const runs: DepositLoadResult[] = [];
    for (let round = 0; round < 3; round++) {
      const shg = await target.freshShg();
      const run = async () =>
        runLoadScript<LoadAnswer>('http-deposits.load.ts', {
          url: target.url,
          shgs: [shg],
          formedOn: shg.formedOn,
          token: await target.token(),
          connections,
          seconds,
        });
      const { accepted, ...result } = connections === 16 && round === 1 && profileRun ? await profileRun(run) : await run();
      runs.push({ connections, ...result, lost: accepted.length - (await target.stored(accepted)) });
    }
    cases.push({ ...medianOfRuns(runs), lost: runs.reduce((sum, run) => sum + run.lost, 0) });
  }
  return cases;
}

async function shgWithMembers(api: ReturnType<typeof groupsClient>) {
  const shgId = await api.formShg();
  const memberIds: string[] = [];
  for (let i = 0; i < MEMBERS; i++) memberIds.push(await api.enrol(shgId, `Member ${i + 1}`));
  return { shgId, memberIds, formedOn: FORMED_ON };
}

/**
 * `POST /shgs/:id/savings/deposits` on the groups service running with its relay and consumers, as
 * a field officer granted the SHG's network, load from another process. BENCH_PROFILE=1 profiles the
 * service's process during the second 16-connection run (bench/results/http-deposits.cpuprofile).
 */
export async function benchHttpDeposits(seconds = Number(process.env.BENCH_LOAD_SECONDS ?? 10)): Promise<HttpDepositsResult> {
  const service = await startService('groups', GroupsModule.forRoot, {
    databasePrefix: `sangam_test_bench_deposits_${randomUUID().slice(0, 8)}`,
  });
  const db = await connectTestDatabase(service.config.databaseName);
  try {
    const admin = groupsClient(service.url);
    const field = groupsClient(service.url, 'field1');
    const networkId = await admin.formNetwork();
    const grant = await admin.post(`/networks/${networkId}/grants`, { userId: devUserId('field1') });
    if (grant.status !== 201) throw new Error(`bench set-up: grant answered ${JSON.stringify(grant)}`);
    const target: DepositTarget = {
      url: service.url,
      token: () => tokenFor('field1'),
      freshShg: async () => {
        const shg = await shgWithMembers(field);
        await field.join(networkId, shg.shgId);
        return shg;
      },
      stored: async (depositIds) =>
        Number(
          (
            await db.query(`SELECT count(*) AS n FROM events WHERE type = 'SavingsDeposited' AND data->>'depositId' = ANY($1)`, [
              depositIds,
            ])
          ).rows[0].n,
        ),
    };
    let profile: HttpDepositsResult['profile'];
    const profileRun = process.env.BENCH_PROFILE
      ? async (run: () => Promise<LoadAnswer>) => {
          const dir = join(__dirname, 'results');
          mkdirSync(dir, { recursive: true });
          const file = join(dir, 'http-deposits.cpuprofile');
          const { result, top } = await profiled(file, run);
          profile = { file, top };
          return result;
        }
      : undefined;
    const cases = await loadDeposits(target, seconds, profileRun);
    return { cases, profile };
  } finally {
    await db.end();
    await service.stop();
  }
}

/** The peer (bench/peers/emmett-deposits.peer.ts) in a process of its own, on a database of its own on the same cluster. */
async function startPeer(databaseUrl: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const peer = spawn(
    process.execPath,
    [
      '-r',
      'ts-node/register/transpile-only',
      join(__dirname, 'peers/emmett-deposits.peer.ts'),
      JSON.stringify({ databaseUrl, port: 0, poolSize: 10 }),
    ],
    { cwd: join(__dirname, '..'), stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const port = await new Promise<number>((resolve, reject) => {
    peer.stdout.on('data', (chunk: Buffer) => {
      const listening = /listening (\d+)/.exec(chunk.toString());
      if (listening) resolve(Number(listening[1]));
    });
    peer.on('exit', (code) => reject(new Error(`the Emmett peer exited (${code}) before it listened`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        peer.on('exit', () => resolve());
        peer.kill('SIGTERM');
      }),
  };
}

/** The same use case and load on a minimal Emmett + Express app (see the peer's file). */
export async function benchHttpDepositsEmmett(seconds = Number(process.env.BENCH_LOAD_SECONDS ?? 10)): Promise<HttpDepositsResult> {
  const database = await plainDatabase('bench_deposits_emmett');
  const peer = await startPeer(database.url);
  const pool = new Pool({ connectionString: database.url, max: 1 });
  try {
    const api = groupsClient(peer.url, null);
    const cases = await loadDeposits(
      {
        url: peer.url,
        token: () => Promise.resolve(undefined),
        freshShg: () => shgWithMembers(api),
        stored: async (depositIds) =>
          Number(
            (
              await pool.query(
                `SELECT count(*) AS n FROM emt_messages WHERE message_type = 'SavingsDeposited' AND message_data->>'depositId' = ANY($1)`,
                [depositIds],
              )
            ).rows[0].n,
          ),
      },
      seconds,
    );
    return { cases };
  } finally {
    await pool.end();
    await peer.stop();
    await database.drop();
  }
}
