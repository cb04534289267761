import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { SERVICES } from '@sangam/platform';
import { SERVICE_PORTS, supervisedProcesses } from '../../scripts/supervisor/processes';
import { Supervisor, type Child, type ProcessSpec, type SupervisorStatus } from '../../scripts/supervisor/supervisor';

/** A child process that exits when told to (or ignores SIGTERM), in fake time. */
class FakeChild extends EventEmitter implements Child {
  static nextPid = 1000;
  readonly pid = FakeChild.nextPid++;
  readonly stdout = new PassThrough();
  readonly stderr = new PassThrough();
  readonly signals: string[] = [];
  exited = false;

  constructor(
    readonly name: string,
    private readonly ignoresSigterm = false,
  ) {
    super();
  }

  kill(signal: NodeJS.Signals): boolean {
    this.signals.push(signal);
    if (signal === 'SIGKILL') this.exit(null, 'SIGKILL');
    else if (!this.ignoresSigterm) setTimeout(() => this.exit(0, null), 100);
    return true;
  }

  exit(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.exited) return;
    this.exited = true;
    this.stdout.end();
    this.stderr.end();
    this.emit('close', code, signal);
  }
}

const spec = (name: string): ProcessSpec => ({ name, command: 'node', args: [`${name}.js`], healthUrl: `http://127.0.0.1/${name}/health` });

function harness(options: { ignoresSigterm?: string[]; up?: Set<string> } = {}) {
  const children: FakeChild[] = [];
  const log: string[] = [];
  const statuses: SupervisorStatus[] = [];
  const supervisor = new Supervisor(['groups', 'lending', 'reporting'].map(spec), {
    spawn: (s) => {
      const child = new FakeChild(s.name, options.ignoresSigterm?.includes(s.name));
      children.push(child);
      return child;
    },
    stopTimeoutMs: 5000,
    probe: async (url) => options.up?.has(url.split('/')[3]) ?? false,
    probeEveryMs: 100,
    log: (line) => log.push(line),
    onChange: (status) => statuses.push(status),
  });
  const spawnsOf = (name: string) => children.filter((c) => c.name === name);
  const current = (name: string) => spawnsOf(name).at(-1)!;
  const state = (name: string) => supervisor.status().processes.find((p) => p.name === name)!;
  return { supervisor, children, log, statuses, spawnsOf, current, state };
}

describe('the supervisor', () => {
  beforeEach(() => jest.useFakeTimers({ doNotFake: ['nextTick', 'queueMicrotask', 'setImmediate'] }));
  afterEach(() => jest.useRealTimers());

  it('restarts a process that exits, after 1 s, and leaves the others running', async () => {
    const h = harness();
    h.supervisor.start();
    const [groups, lending, reporting] = h.children;
    await jest.advanceTimersByTimeAsync(3000);
    reporting.exit(null, 'SIGKILL');
    expect(h.state('reporting')).toMatchObject({ state: 'waiting', restarts: 1, lastExit: { code: null, signal: 'SIGKILL' } });
    expect(h.log).toContain(
      '[supervisor] reporting exited unexpectedly (signal SIGKILL) after 3.0 s; restarting in 1.0 s (exit 1 in a row)',
    );
    await jest.advanceTimersByTimeAsync(999);
    expect(h.spawnsOf('reporting')).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(h.spawnsOf('reporting')).toHaveLength(2);
    expect(h.state('reporting')).toMatchObject({ state: 'starting', pid: h.current('reporting').pid, restarts: 1 });
    expect([groups, lending].every((c) => !c.exited && c.signals.length === 0)).toBe(true);
    expect(h.spawnsOf('groups')).toHaveLength(1);
  });

  it('says when a process is up and how long it took', async () => {
    const up = new Set<string>();
    const h = harness({ up });
    h.supervisor.start();
    await jest.advanceTimersByTimeAsync(2500);
    expect(h.state('groups').state).toBe('starting');
    up.add('groups');
    await jest.advanceTimersByTimeAsync(100);
    expect(h.state('groups')).toMatchObject({ state: 'up', startupMs: 2600 });
    expect(h.log).toContain(`[supervisor] groups is up (pid ${h.current('groups').pid}, 2.6 s after start)`);
  });

  it('backs off 1, 2, 4, 8 s, then gives up on a process that keeps crashing at start-up, with its last lines, while the rest keeps running', async () => {
    const h = harness();
    h.supervisor.start();
    const startedAt: number[] = [];
    for (let crash = 0; crash < 5; crash++) {
      const lending = h.current('lending');
      startedAt.push(Date.now());
      lending.stderr.write(`Invalid configuration for lending (attempt ${crash + 1})\n`);
      await jest.advanceTimersByTimeAsync(200);
      lending.exit(1, null);
      const pause = h.state('lending').nextStartAt;
      if (pause) await jest.advanceTimersByTimeAsync(Date.parse(pause) - Date.now());
    }
    expect(startedAt.slice(1).map((at, i) => at - startedAt[i])).toEqual([1200, 2200, 4200, 8200]);
    expect(h.state('lending')).toMatchObject({
      state: 'given-up',
      pid: null,
      gaveUp: 'exited 5 times within 120 s, never staying up 30 s',
    });
    await jest.advanceTimersByTimeAsync(120_000);
    expect(h.spawnsOf('lending')).toHaveLength(5);
    expect(h.log).toContain(
      '[supervisor] GIVING UP on lending: it exited 5 times within 120 s, never staying up 30 s. It is not restarted again; groups, reporting keep running.',
    );
    expect(h.log).toContain('[supervisor]   lending | Invalid configuration for lending (attempt 5)');
    expect(h.log.join('\n')).not.toContain('(attempt 4)');
    expect(['groups', 'reporting'].map((name) => h.current(name).exited)).toEqual([false, false]);
    expect(h.statuses.at(-1)!.processes.find((p) => p.name === 'lending')!.state).toBe('given-up');
  });

  it('forgets the crashes once a run stayed up 30 s: the pause is 1 s again', async () => {
    const h = harness();
    h.supervisor.start();
    for (const expectedPause of [1000, 2000, 4000]) {
      h.current('groups').exit(1, null);
      expect(Date.parse(h.state('groups').nextStartAt!) - Date.now()).toBe(expectedPause);
      await jest.advanceTimersByTimeAsync(expectedPause);
    }
    await jest.advanceTimersByTimeAsync(30_000);
    h.current('groups').exit(1, null);
    expect(Date.parse(h.state('groups').nextStartAt!) - Date.now()).toBe(1000);
  });

  it('stops every child with SIGTERM, kills the one that ignores it after the timeout, and restarts nothing', async () => {
    const h = harness({ ignoresSigterm: ['lending'] });
    h.supervisor.start();
    await jest.advanceTimersByTimeAsync(1000);
    h.current('reporting').exit(1, null);
    let stopped = false;
    void h.supervisor.stop().then(() => (stopped = true));
    expect(h.children.filter((c) => !c.exited).map((c) => c.signals)).toEqual([['SIGTERM'], ['SIGTERM']]);
    await jest.advanceTimersByTimeAsync(4999);
    expect(stopped).toBe(false);
    expect(h.current('lending').signals).toEqual(['SIGTERM']);
    await jest.advanceTimersByTimeAsync(1);
    expect(h.current('lending').signals).toEqual(['SIGTERM', 'SIGKILL']);
    expect(stopped).toBe(true);
    await jest.advanceTimersByTimeAsync(60_000);
    expect(h.spawnsOf('reporting')).toHaveLength(1);
    expect(h.supervisor.status().processes.map((p) => [p.name, p.state, p.pid])).toEqual([
      ['groups', 'stopped', null],
      ['lending', 'stopped', null],
      ['reporting', 'stopped', null],
    ]);
    expect(h.log).toContain('[supervisor] lending (pid ' + h.current('lending').pid + ') did not stop in time: SIGKILL');
  });
});

describe('the processes npm start supervises', () => {
  it('are the four services and the web console on their ports, run from dist/ without ts-node', () => {
    expect(SERVICE_PORTS).toEqual(SERVICES);
    const specs = supervisedProcesses({ LENDING_PORT: '3012', CONSOLE_PORT: '3010', PORT: '4000' });
    expect(specs.map((s) => [s.name, s.healthUrl])).toEqual([
      ['groups', 'http://127.0.0.1:3001/health'],
      ['lending', 'http://127.0.0.1:3012/health'],
      ['bank-linkage', 'http://127.0.0.1:3003/health'],
      ['reporting', 'http://127.0.0.1:3004/health'],
      ['console', 'http://127.0.0.1:3010/health'],
    ]);
    expect(specs[4].args).toEqual([expect.stringMatching(/\/dist\/apps\/console\/src\/main\.js$/)]);
    expect(specs[0].command).toBe(process.execPath);
    expect(specs[0].args).toEqual([expect.stringMatching(/\/dist\/apps\/groups\/src\/main\.js$/)]);
    expect(specs[0].env!.PORT).toBeUndefined();
  });
});
