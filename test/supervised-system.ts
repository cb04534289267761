import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildIfStale, compiledMain, ROOT } from '../scripts/supervisor/build';
import { SERVICE_PORTS, type ServiceName } from '../scripts/supervisor/processes';
import type { ProcessStatus, SupervisorStatus } from '../scripts/supervisor/supervisor';
import type { ServiceUrls } from '../scripts/demo/sangam-client';
import { freePort, freePorts } from './free-ports';

/** The status /health answers with (0: no answer within 4 s); a new connection each time, so nothing is left open. */
export const health = (port: number) =>
  new Promise<number>((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/health', agent: false, timeout: 4000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
    req.end();
  });

export const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

export async function until<T>(
  what: string,
  check: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export interface SupervisedSystem {
  supervisor: ChildProcess;
  ports: Record<ServiceName, number>;
  urls: ServiceUrls;
  /** What the supervisor said on stderr so far. */
  stderr(): string;
  status(): SupervisorStatus | undefined;
  processOf(name: ServiceName): ProcessStatus | undefined;
  /** Every service pid seen through the status file, so that none outlives the test. */
  pidsSeen: Set<number>;
  exited: Promise<number | null>;
  /** Another instance of a service beside the supervised one (same databases and consumer groups), not supervised. */
  startAnother(name: ServiceName): Promise<{ pid: number; url: string }>;
  /** SIGKILLs the supervisor and every service it ran that still runs; removes the status file. */
  cleanUp(): void;
  /** Ctrl-C to the supervisor, at most 20 s to stop, then cleanUp. */
  stop(): Promise<void>;
}

/**
 * `npm start` for real: the supervisor (scripts/start.ts) runs the four compiled services and the console against
 * the running broker, Keycloak and DATABASE_URL, with databases `<databasePrefix>_*` and ports of
 * their own. Its children are found through its status file.
 */
export async function startSupervisedSystem(databasePrefix: string, env: NodeJS.ProcessEnv = {}): Promise<SupervisedSystem> {
  await buildIfStale(() => undefined);
  const dir = mkdtempSync(join(tmpdir(), 'sangam-supervisor-'));
  const statusFile = join(dir, 'status.json');
  const base = await freePorts([0, 1, 2, 3, 4]);
  const [groups, lending, bankLinkage, reporting, consolePort] = [0, 1, 2, 3, 4].map((offset) => base + offset);
  const ports = { groups, lending, 'bank-linkage': bankLinkage, reporting };
  const common = {
    ...process.env,
    KAFKA_BROKERS: process.env.KAFKA_BROKERS || '127.0.0.1:9092',
    KEYCLOAK_URL: process.env.KEYCLOAK_URL || 'http://127.0.0.1:8080',
    DATABASE_NAME_PREFIX: databasePrefix,
    LOG_LEVEL: 'warn',
    ...env,
  };
  const supervisor = spawn(process.execPath, ['-r', 'ts-node/register', join(ROOT, 'scripts/start.ts')], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: {
      ...common,
      GROUPS_PORT: String(groups),
      LENDING_PORT: String(lending),
      BANK_LINKAGE_PORT: String(bankLinkage),
      REPORTING_PORT: String(reporting),
      CONSOLE_PORT: String(consolePort),
      SUPERVISOR_STATUS_FILE: statusFile,
      SUPERVISOR_STOP_TIMEOUT_MS: '8000',
    },
  });
  let stderr = '';
  supervisor.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => supervisor.once('exit', (code) => resolve(code)));
  const pidsSeen = new Set<number>();
  const status = (): SupervisorStatus | undefined => {
    try {
      const read = JSON.parse(readFileSync(statusFile, 'utf8')) as SupervisorStatus;
      for (const p of read.processes) if (p.pid) pidsSeen.add(p.pid);
      return read;
    } catch {
      return undefined;
    }
  };
  const url = (port: number) => `http://127.0.0.1:${port}`;
  const cleanUp = () => {
    if (supervisor.exitCode === null) supervisor.kill('SIGKILL');
    for (const pid of pidsSeen) if (alive(pid)) process.kill(pid, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  return {
    supervisor,
    ports,
    urls: { groups: url(groups), lending: url(lending), bankLinkage: url(bankLinkage), reporting: url(reporting) },
    stderr: () => stderr,
    status,
    processOf: (name) => status()?.processes.find((p) => p.name === name),
    pidsSeen,
    exited,
    startAnother: async (name) => {
      const port = await freePort();
      const child = spawn(process.execPath, [compiledMain(name)], {
        cwd: ROOT,
        stdio: ['ignore', 'ignore', 'pipe'],
        env: { ...common, PORT: undefined, [SERVICE_PORTS[name].portVar]: String(port) },
      });
      child.stderr.on('data', (chunk: Buffer) => (stderr += `[${name} 2] ${chunk.toString()}`));
      pidsSeen.add(child.pid!);
      await until(`a second ${name} to be up`, async () => (await health(port)) === 200, 90_000);
      return { pid: child.pid!, url: url(port) };
    },
    cleanUp,
    stop: async () => {
      supervisor.kill('SIGINT');
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(resolve, 20_000)))]);
      clearTimeout(timer);
      cleanUp();
    },
  };
}
