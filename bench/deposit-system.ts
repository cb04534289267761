import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { devUserId, dropDatabasesLike, startingWith, tokenFor } from '@sangam/testing';
import { groupsClient, type GroupsClient } from '../apps/groups/test/groups-client';
import type { ServiceName } from '../scripts/supervisor/processes';
import { startSupervisedSystem, until, type SupervisedSystem } from '../test/supervised-system';
import { round, runLoadScript } from './measure';

const MEMBERS = 20;
export const FORMED_ON = '2005-04-01'; // groupsClient's

export type Shg = { shgId: string; memberIds: string[] };

/** What http-deposits.load.ts answers. */
export interface DepositLoadAnswer {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  refused: number;
  errors: number;
  /** The ids of the deposits answered 2xx. */
  accepted: string[];
}

/** A new SHG with 20 members, through the API. */
export async function shgWithMembers(api: GroupsClient): Promise<Shg> {
  const shgId = await api.formShg();
  const memberIds: string[] = [];
  for (let i = 0; i < MEMBERS; i++) memberIds.push(await api.enrol(shgId, `Member ${i + 1}`));
  return { shgId, memberIds };
}

export const rssMiB = (pid: number): number => {
  const line = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return line ? round(Number(line[1]) / 1024, 1) : 0;
};

export const servicePid = (system: SupervisedSystem, name: ServiceName): number => {
  const pid = system.processOf(name)?.pid;
  if (!pid) throw new Error(`bench: ${name} is not running`);
  return pid;
};

/**
 * The system as `npm start` runs it: the supervisor, the four compiled services in processes of
 * their own with their relays and consumers, request logging at its default level; databases
 * `<databasePrefix>_<service>` of its own, dropped when it stops (each run has new ones).
 */
export async function startWholeSystem(env: NodeJS.ProcessEnv = {}): Promise<{ system: SupervisedSystem; databasePrefix: string }> {
  const databasePrefix = `sangam_test_bench_system_${randomUUID().slice(0, 8)}`;
  const supervised = await startSupervisedSystem(databasePrefix, { LOG_LEVEL: 'info', ...env });
  const system: SupervisedSystem = {
    ...supervised,
    stop: async () => {
      await supervised.stop();
      await dropDatabasesLike(startingWith(`${databasePrefix}_`));
    },
  };
  await orStop(system, () => until('the services to be up', () => system.status()?.processes.every((p) => p.state === 'up'), 180_000));
  return { system, databasePrefix };
}

/** Set-up on a system just started: when it fails, the system is stopped (its databases dropped) before the failure goes on. */
export async function orStop<T>(system: SupervisedSystem, setUp: () => Promise<T>): Promise<T> {
  try {
    return await setUp();
  } catch (error) {
    await system.stop();
    throw error;
  }
}

/**
 * The whole system (startWholeSystem), a network granted to
 * field1, and a way to make SHGs of 20 members in it and to load them with deposits from another process.
 */
export async function startDepositSystem(env: NodeJS.ProcessEnv = {}) {
  const { system, databasePrefix } = await startWholeSystem(env);
  const admin = groupsClient(system.urls.groups);
  const field = groupsClient(system.urls.groups, 'field1');
  const networkId = await orStop(system, async () => {
    const formed = await admin.formNetwork();
    const grant = await admin.post(`/networks/${formed}/grants`, { userId: devUserId('field1') });
    if (grant.status !== 201) throw new Error(`bench set-up: grant answered ${JSON.stringify(grant)}`);
    await consumersSettled(system);
    return formed;
  });
  const freshShg = async (): Promise<Shg> => {
    const shg = await shgWithMembers(field);
    await field.join(networkId, shg.shgId);
    return shg;
  };
  const deposits = async (shgs: Shg[], load: { connections: number; seconds: number; rate?: number }) =>
    runLoadScript<DepositLoadAnswer>('http-deposits.load.ts', {
      url: system.urls.groups,
      shgs,
      formedOn: FORMED_ON,
      token: await tokenFor('field1'),
      ...load,
    });
  return { system, groupsDatabase: `${databasePrefix}_groups`, freshShg, deposits };
}

/** How many events the consumers of all four services have applied so far (their lag histograms' counts). */
async function eventsApplied(system: SupervisedSystem): Promise<number> {
  let applied = 0;
  for (const url of Object.values(system.urls)) {
    const metrics = await (await fetch(`${url}/metrics`)).text();
    for (const [, count] of metrics.matchAll(/^sangam_event_lag_seconds_count\{[^}]*\} (\d+)$/gm)) applied += Number(count);
  }
  return applied;
}

/**
 * Waits until no consumer applies anything more for a second: a new database's consumers read the
 * shared topics from their beginning (the events of this `npm run bench`'s earlier benchmarks), and
 * that backlog must not be measured with the first run.
 */
export async function consumersSettled(system: SupervisedSystem): Promise<void> {
  let applied = -1;
  await until(
    'the consumers to apply nothing more',
    async () => {
      const now = await eventsApplied(system);
      const settled = now === applied;
      applied = now;
      if (!settled) await new Promise((resolve) => setTimeout(resolve, 800));
      return settled;
    },
    600_000,
  );
}

const CLOCK_TICKS_PER_SECOND = 100; // getconf CLK_TCK on Linux

/** The benchmarks' own broker's port (bench/run.ts; kafka.sh keeps its files as broker-9392.*, data-9392). */
export const BENCH_KAFKA_PORT = '9392';

/** Who a process is, for the CPU accounting: a service by its pid, else Postgres, the broker or Keycloak. */
function labelOf(pid: number, services: Map<number, string>): string | null {
  const service = services.get(pid);
  if (service) return service;
  let command: string;
  try {
    command = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return null;
  }
  if (command.startsWith('postgres')) return 'postgres';
  if (command.includes('kafka.Kafka') || command.includes('kafka/')) {
    // On the benchmarks' own broker, only it: the developer's (or CI's) beside it is not the system's.
    const ownBroker = process.env.KAFKA_BROKERS === `127.0.0.1:${BENCH_KAFKA_PORT}`;
    return !ownBroker || command.includes(`server-${BENCH_KAFKA_PORT}.properties`) ? 'kafka' : null;
  }
  if (command.includes('keycloak')) return 'keycloak';
  return null;
}

/**
 * CPU time (user + system) each part of the system has used so far, ms, read from /proc: two
 * readings around a run say where a deposit's CPU goes. Postgres sums all its backends.
 */
export function cpuMsByPart(system: SupervisedSystem): Map<string, number> {
  const services = new Map((system.status()?.processes ?? []).filter((p) => p.pid).map((p): [number, string] => [p.pid!, p.name]));
  const parts = new Map<string, number>();
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const label = labelOf(pid, services);
    if (!label) continue;
    try {
      // Fields after the command's closing parenthesis: utime and stime are the 12th and 13th.
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      const ms = ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
      parts.set(label, (parts.get(label) ?? 0) + ms);
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return parts;
}

/** CPU ms per request (a deposit, a delivery) of each part between two readings. */
export const cpuPerRequest = (before: Map<string, number>, after: Map<string, number>, requests: number): Record<string, number> =>
  Object.fromEntries(
    [...after]
      .map(([part, ms]) => [part, round((ms - (before.get(part) ?? 0)) / Math.max(1, requests), 2)])
      .sort((a, b) => Number(b[1]) - Number(a[1])),
  );
