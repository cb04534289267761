import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildIfStale, ROOT } from '../../scripts/supervisor/build';
import type { SupervisorStatus } from '../../scripts/supervisor/supervisor';

/**
 * `npm start` for real: the supervisor runs the four compiled services against the running
 * broker, Keycloak and DATABASE_URL (databases sangam_test_supervisor_*, ports of its own), one
 * service is SIGKILLed and must answer /health again while the others keep answering, then
 * SIGINT to the supervisor must end every child. Children are found through the status file.
 */
const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });

/** The status /health answers with (0: no answer within 4 s); a new connection each time, so nothing is left open. */
const health = (port: number) =>
  new Promise<number>((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/health', agent: false, timeout: 4000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
    req.end();
  });

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function until<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('npm start supervises the services', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sangam-supervisor-'));
  const statusFile = join(dir, 'status.json');
  let supervisor: ChildProcess | undefined;
  let stderr = '';
  const pidsSeen = new Set<number>();

  const status = (): SupervisorStatus | undefined => {
    try {
      return JSON.parse(readFileSync(statusFile, 'utf8')) as SupervisorStatus;
    } catch {
      return undefined;
    }
  };
  const processOf = (name: string) => status()?.processes.find((p) => p.name === name);

  afterAll(() => {
    // Whatever happened, nothing this test started outlives it.
    if (supervisor?.exitCode === null) supervisor.kill('SIGKILL');
    for (const pid of pidsSeen) if (alive(pid)) process.kill(pid, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  // The build (the services and the console's bundle) is not what is timed here.
  beforeAll(() => buildIfStale(() => undefined), 180_000);

  it('restarts a killed service while the others keep answering, and SIGINT ends every child', async () => {
    const [groups, lending, bankLinkage, reporting, consolePort] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()]);
    const ports: Record<string, number> = { groups, lending, 'bank-linkage': bankLinkage, reporting };
    supervisor = spawn(process.execPath, ['-r', 'ts-node/register', join(ROOT, 'scripts/start.ts')], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: {
        ...process.env,
        KAFKA_BROKERS: process.env.KAFKA_BROKERS || '127.0.0.1:9092',
        KEYCLOAK_URL: process.env.KEYCLOAK_URL || 'http://127.0.0.1:8080',
        DATABASE_NAME_PREFIX: 'sangam_test_supervisor',
        GROUPS_PORT: String(groups),
        LENDING_PORT: String(lending),
        BANK_LINKAGE_PORT: String(bankLinkage),
        REPORTING_PORT: String(reporting),
        CONSOLE_PORT: String(consolePort),
        LOG_LEVEL: 'warn',
        SUPERVISOR_STATUS_FILE: statusFile,
        SUPERVISOR_STOP_TIMEOUT_MS: '8000',
      },
    });
    supervisor.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => supervisor!.once('exit', (code) => resolve(code)));

    try {
      const up = await until('the four services and the console to be up', () => status()?.processes.every((p) => p.state === 'up') && status(), 60_000);
      for (const p of up.processes) pidsSeen.add(p.pid!);
      expect(up.processes.map((p) => p.name)).toEqual(['groups', 'lending', 'bank-linkage', 'reporting', 'console']);

      // The others are asked every 300 ms while the victim is dead and restarting.
      const victim = 'groups';
      const others = Object.keys(ports).filter((name) => name !== victim);
      const answers: { name: string; status: number }[] = [];
      let watching = true;
      const watch = (async () => {
        while (watching) {
          const round = await Promise.all(others.map(async (name) => ({ name, status: await health(ports[name]) })));
          answers.push(...round);
          await new Promise((resolve) => setTimeout(resolve, 300));
        }
      })();

      const killedPid = processOf(victim)!.pid!;
      process.kill(killedPid, 'SIGKILL');
      const back = await until(`${victim} to be restarted and up`, () => {
        const p = processOf(victim);
        return p?.state === 'up' && p.pid !== killedPid && p;
      }, 40_000);
      pidsSeen.add(back.pid!);
      expect(back).toMatchObject({ restarts: 1, lastExit: { signal: 'SIGKILL' } });
      expect(await health(ports[victim])).toBe(200);
      expect(stderr).toContain(`${victim} exited unexpectedly (signal SIGKILL)`);
      watching = false;
      await watch;

      expect(answers.length).toBeGreaterThan(others.length * 5);
      expect(answers.filter((a) => a.status !== 200)).toEqual([]);
      expect(status()!.processes.filter((p) => p.name !== victim).map((p) => [p.pid, p.restarts])).toEqual(
        up.processes.filter((p) => p.name !== victim).map((p) => [p.pid, 0]),
      );

      supervisor.kill('SIGINT');
      let timer: NodeJS.Timeout | undefined;
      const stopped = await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(() => resolve('still running 20 s after SIGINT'), 20_000)))]);
      clearTimeout(timer);
      expect(stopped).toBe(0);
      expect([...pidsSeen].filter(alive)).toEqual([]);
      expect(status()!.processes.map((p) => [p.name, p.state, p.pid])).toEqual([...Object.keys(ports), 'console'].map((name) => [name, 'stopped', null]));
    } catch (error) {
      throw new Error(`${(error as Error).message}\nsupervisor said:\n${stderr}`);
    }
  }, 150_000);

});
