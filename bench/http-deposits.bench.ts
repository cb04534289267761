import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Pool } from 'pg';
import { transpileModule, ModuleKind, ScriptTarget } from 'typescript';
import { connectTestDatabase } from '@sangam/testing';
import { groupsClient } from '../apps/groups/test/groups-client';
import { plainDatabase } from './append.bench';
import { FORMED_ON, servicePid, shgWithMembers, startDepositSystem, type DepositLoadAnswer, type Shg } from './deposit-system';
import { medianOfRuns, runLoadScript } from './measure';
import { serviceProfile, serviceProfilingEnv, type SelfTimeEntry } from './profile';

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
  /** Deposits to one SHG from this many connections for this long. */
  load: (shg: Shg, connections: number, seconds: number) => Promise<DepositLoadAnswer>;
  /** A new SHG with 20 members, set up through the API: every run starts from the same state. */
  freshShg: () => Promise<Shg>;
  /** How many of these deposit ids the store holds. */
  stored: (depositIds: string[]) => Promise<number>;
}

/** `seconds` of deposits at each number of connections, three runs each on a new SHG; medians, loss summed. */
async function loadDeposits(target: DepositTarget, seconds: number) {
  const cases: DepositLoadResult[] = [];
  for (const connections of DEPOSIT_CONNECTIONS) {
    const runs: DepositLoadResult[] = [];
    for (let round = 0; round < 3; round++) {
      const { accepted, ...result } = await target.load(await target.freshShg(), connections, seconds);
      runs.push({ connections, ...result, lost: accepted.length - (await target.stored(accepted)) });
    }
    cases.push({ ...medianOfRuns(runs), lost: runs.reduce((sum, run) => sum + run.lost, 0) });
  }
  return cases;
}

const storedIn = (query: (depositIds: string[]) => Promise<{ rows: { n: string }[] }>) => async (depositIds: string[]) =>
  Number((await query(depositIds)).rows[0].n);

/**
 * `POST /shgs/:id/savings/deposits` with the whole system running as `npm start` runs it (the four
 * compiled services with their relays and consumers, so lending and reporting apply every deposit
 * too), as a field officer granted the SHG's network, load from another process. BENCH_PROFILE=1
 * profiles the services (bench/profile-preload.js) and reports the top self-time entries of groups'
 * profile (its whole life: set-up and every run).
 */
export async function benchHttpDeposits(seconds = Number(process.env.BENCH_LOAD_SECONDS ?? 10)): Promise<HttpDepositsResult> {
  const { system, groupsDatabase, freshShg, deposits } = await startDepositSystem(serviceProfilingEnv());
  const groupsPid = servicePid(system, 'groups');
  const db = await connectTestDatabase(groupsDatabase);
  try {
    const cases = await loadDeposits(
      {
        load: (shg, connections, seconds) => deposits([shg], { connections, seconds }),
        freshShg,
        stored: storedIn((ids) =>
          db.query(`SELECT count(*) AS n FROM events WHERE type = 'SavingsDeposited' AND data->>'depositId' = ANY($1)`, [ids]),
        ),
      },
      seconds,
    );
    if (!process.env.BENCH_PROFILE) return { cases };
    return { cases, profile: await serviceProfile(groupsPid) };
  } finally {
    await db.end();
    await system.stop();
  }
}

/** The peer (bench/peers/emmett-deposits.peer.ts) in a process of its own, on a database of its own on the same cluster. */
async function startPeer(databaseUrl: string): Promise<{ url: string; stop: () => Promise<void> }> {
  // Plain JavaScript, as Sangam's services run (ts-node would load Node's repl, and with it domains, into the process).
  const source = join(__dirname, 'peers/emmett-deposits.peer.ts');
  const compiled = join(__dirname, 'results', 'emmett-deposits.peer.js');
  mkdirSync(join(__dirname, 'results'), { recursive: true });
  const { outputText } = transpileModule(readFileSync(source, 'utf8'), {
    compilerOptions: { module: ModuleKind.CommonJS, target: ScriptTarget.ES2022, esModuleInterop: true },
  });
  writeFileSync(compiled, outputText);
  const peer = spawn(process.execPath, [compiled, JSON.stringify({ databaseUrl, port: 0, poolSize: 10 })], {
    cwd: join(__dirname, '..'),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
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
        load: (shg, connections, seconds) =>
          runLoadScript<DepositLoadAnswer>('http-deposits.load.ts', {
            url: peer.url,
            shgs: [shg],
            formedOn: FORMED_ON,
            connections,
            seconds,
          }),
        freshShg: () => shgWithMembers(api),
        stored: storedIn((ids) =>
          pool.query(
            `SELECT count(*) AS n FROM emt_messages WHERE message_type = 'SavingsDeposited' AND message_data->>'depositId' = ANY($1)`,
            [ids],
          ),
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
