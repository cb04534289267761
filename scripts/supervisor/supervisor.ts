/**
 * Runs a list of processes, restarts one that exits on its own (see restart-policy.ts), gives up
 * on one that keeps crashing at start-up while the others keep running, and stops them all on
 * request: SIGTERM, then SIGKILL after a timeout.
 *
 * Spawning, time and health probes are passed in, so the orchestration is tested with fakes
 * (test/supervisor/supervisor.spec.ts); start.ts wires in the real ones.
 *
 * Each child runs in its own process group (`detached`), so a Ctrl-C in the terminal reaches only
 * the supervisor, which then stops the children once and in order; the children's output is
 * piped through it, which keeps each one's last lines for the report when it is given up on.
 */
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { afterExit, DEFAULT_RESTART_POLICY, NO_CRASHES, type CrashHistory, type RestartPolicy } from './restart-policy';

export interface ProcessSpec {
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  /** Polled after each start until it answers 200, to say when the process is up and how long it took. */
  healthUrl?: string;
}

/** What the supervisor needs of a child process (node's ChildProcess has it). */
export interface Child {
  readonly pid?: number;
  readonly stdout: Readable | null;
  readonly stderr: Readable | null;
  kill(signal: NodeJS.Signals): boolean;
  once(event: 'close', listener: (code: number | null, signal: NodeJS.Signals | null) => void): unknown;
  once(event: 'error', listener: (error: Error) => void): unknown;
}

export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export type ProcessState = 'starting' | 'up' | 'waiting' | 'given-up' | 'stopping' | 'stopped';

export interface ProcessStatus {
  name: string;
  state: ProcessState;
  pid: number | null;
  /** Starts after the first one. */
  restarts: number;
  startedAt: string | null;
  /** How long the current run took from spawn to its health check answering 200. */
  startupMs: number | null;
  lastExit: { code: number | null; signal: string | null; at: string; afterMs: number } | null;
  nextStartAt: string | null;
  gaveUp: string | null;
}

export interface SupervisorStatus {
  supervisorPid: number;
  stopping: boolean;
  processes: ProcessStatus[];
}

export interface SupervisorOptions {
  spawn: (spec: ProcessSpec) => Child;
  clock?: Clock;
  policy?: RestartPolicy;
  /** SIGTERM, then SIGKILL after this long. */
  stopTimeoutMs?: number;
  /** true when the URL answers 200. */
  probe?: (url: string) => Promise<boolean>;
  probeEveryMs?: number;
  /** The supervisor's own messages. */
  log?: (line: string) => void;
  /** A line a child wrote (its logs), passed on as they come. */
  output?: (name: string, stream: 'stdout' | 'stderr', line: string) => void;
  /** Called after every change of state, e.g. to write a status file. */
  onChange?: (status: SupervisorStatus) => void;
  /** How many of a child's last lines are kept for the report when it is given up on. */
  tailLines?: number;
  pid?: number;
}

interface Supervised {
  spec: ProcessSpec;
  state: ProcessState;
  child: Child | null;
  runStartedAt: number;
  history: CrashHistory;
  restarts: number;
  tail: string[];
  startupMs: number | null;
  lastExit: ProcessStatus['lastExit'];
  nextStartAt: number | null;
  gaveUp: string | null;
  timer: unknown;
  /** Bumped at each spawn, so a probe of an earlier run never reports on a later one. */
  run: number;
}

const describeExit = (code: number | null, signal: string | null) => (signal ? `signal ${signal}` : `code ${code}`);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export class Supervisor {
  private readonly processes = new Map<string, Supervised>();
  private readonly clock: Clock;
  private readonly policy: RestartPolicy;
  private readonly log: (line: string) => void;
  private stopping: Promise<void> | null = null;
  private killTimer: unknown = null;

  constructor(
    specs: readonly ProcessSpec[],
    private readonly options: SupervisorOptions,
  ) {
    this.clock = options.clock ?? systemClock;
    this.policy = options.policy ?? DEFAULT_RESTART_POLICY;
    this.log = options.log ?? ((line) => console.error(line));
    for (const spec of specs) {
      if (this.processes.has(spec.name)) throw new Error(`two processes named ${spec.name}`);
      this.processes.set(spec.name, {
        spec,
        state: 'stopped',
        child: null,
        runStartedAt: 0,
        history: NO_CRASHES,
        restarts: 0,
        tail: [],
        startupMs: null,
        lastExit: null,
        nextStartAt: null,
        gaveUp: null,
        timer: null,
        run: 0,
      });
    }
  }

  start(): void {
    for (const p of this.processes.values()) this.spawn(p);
  }

  status(): SupervisorStatus {
    const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
    return {
      supervisorPid: this.options.pid ?? process.pid,
      stopping: this.stopping !== null,
      processes: [...this.processes.values()].map((p) => ({
        name: p.spec.name,
        state: p.state,
        pid: p.child?.pid ?? null,
        restarts: p.restarts,
        startedAt: p.child ? iso(p.runStartedAt) : null,
        startupMs: p.startupMs,
        lastExit: p.lastExit,
        nextStartAt: iso(p.nextStartAt),
        gaveUp: p.gaveUp,
      })),
    };
  }

  /** Stops every child: SIGTERM now, SIGKILL to those still running after the timeout. Resolves when all have exited. */
  stop(): Promise<void> {
    if (this.stopping) return this.stopping;
    const running = [...this.processes.values()].filter((p) => p.child);
    for (const p of this.processes.values()) {
      if (p.timer !== null) this.clock.clearTimeout(p.timer);
      p.timer = null;
      p.nextStartAt = null;
      if (!p.child && p.state !== 'given-up') p.state = 'stopped';
    }
    this.stopping = new Promise<void>((resolve) => {
      let left = running.length;
      const done = () => {
        if (--left > 0) return;
        if (this.killTimer !== null) this.clock.clearTimeout(this.killTimer);
        resolve();
      };
      if (left === 0) resolve();
      for (const p of running) {
        p.child!.once('close', () => done());
        p.state = 'stopping';
        this.signal(p, 'SIGTERM');
      }
      if (left > 0) {
        this.killTimer = this.clock.setTimeout(() => this.kill(), this.options.stopTimeoutMs ?? 15_000);
      }
    });
    this.changed();
    return this.stopping;
  }

  /** SIGKILL to every child still running (the stop timeout, or a second Ctrl-C). */
  kill(): void {
    for (const p of this.processes.values()) {
      if (p.child) {
        this.log(`[supervisor] ${p.spec.name} (pid ${p.child.pid}) did not stop in time: SIGKILL`);
        this.signal(p, 'SIGKILL');
      }
    }
  }

  private signal(p: Supervised, signal: NodeJS.Signals): void {
    try {
      p.child?.kill(signal);
    } catch {
      // already gone
    }
  }

  private spawn(p: Supervised): void {
    p.timer = null;
    p.nextStartAt = null;
    p.tail = [];
    p.startupMs = null;
    p.runStartedAt = this.clock.now();
    p.state = 'starting';
    p.run += 1;
    const run = p.run;
    let child: Child;
    try {
      child = this.options.spawn(p.spec);
    } catch (error) {
      this.remember(p, `could not be started: ${(error as Error).message}`);
      this.exited(p, run, null, null);
      return;
    }
    p.child = child;
    let ended = false;
    const end = (code: number | null, signal: NodeJS.Signals | null) => {
      if (ended) return;
      ended = true;
      this.exited(p, run, code, signal);
    };
    child.once('close', end);
    child.once('error', (error) => {
      this.remember(p, `[supervisor] ${error.message}`);
      if (child.pid === undefined) end(null, null);
    });
    this.follow(p, child.stdout, 'stdout');
    this.follow(p, child.stderr, 'stderr');
    this.log(`[supervisor] ${p.spec.name} started (pid ${child.pid ?? '?'})${p.restarts > 0 ? `, restart ${p.restarts}` : ''}`);
    this.changed();
    if (p.spec.healthUrl && this.options.probe) void this.waitUntilUp(p, run, p.spec.healthUrl);
  }

  private follow(p: Supervised, stream: Readable | null, name: 'stdout' | 'stderr'): void {
    if (!stream) return;
    createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
      this.remember(p, line);
      this.options.output?.(p.spec.name, name, line);
    });
  }

  private remember(p: Supervised, line: string): void {
    p.tail.push(line);
    const keep = this.options.tailLines ?? 30;
    if (p.tail.length > keep) p.tail.splice(0, p.tail.length - keep);
  }

  private async waitUntilUp(p: Supervised, run: number, url: string): Promise<void> {
    const every = this.options.probeEveryMs ?? 200;
    while (p.run === run && p.state === 'starting') {
      let up: boolean;
      try {
        up = await this.options.probe!(url);
      } catch {
        up = false;
      }
      if (p.run !== run || p.state !== 'starting') return;
      if (up) {
        p.state = 'up';
        p.startupMs = this.clock.now() - p.runStartedAt;
        this.log(`[supervisor] ${p.spec.name} is up (pid ${p.child?.pid}, ${seconds(p.startupMs)} after start)`);
        this.changed();
        return;
      }
      await new Promise<void>((resolve) => this.clock.setTimeout(resolve, every));
    }
  }

  private exited(p: Supervised, run: number, code: number | null, signal: NodeJS.Signals | null): void {
    if (p.run !== run) return;
    const now = this.clock.now();
    const afterMs = now - p.runStartedAt;
    p.child = null;
    p.lastExit = { code, signal, at: new Date(now).toISOString(), afterMs };
    if (this.stopping) {
      p.state = 'stopped';
      this.log(`[supervisor] ${p.spec.name} stopped (${describeExit(code, signal)})`);
      this.changed();
      return;
    }
    const decision = afterExit(p.history, { startedAt: p.runStartedAt, exitedAt: now }, this.policy);
    p.history = decision.history;
    const what = `[supervisor] ${p.spec.name} exited unexpectedly (${describeExit(code, signal)}) after ${seconds(afterMs)}`;
    if (decision.action === 'give-up') {
      p.state = 'given-up';
      p.gaveUp = decision.reason;
      const others = [...this.processes.values()].filter((o) => o !== p && o.state !== 'given-up').map((o) => o.spec.name);
      this.log(`${what}.`);
      this.log(
        `[supervisor] GIVING UP on ${p.spec.name}: it ${decision.reason}. It is not restarted again${others.length ? `; ${others.join(', ')} keep running` : ''}.`,
      );
      this.log(`[supervisor] the last ${p.tail.length} lines ${p.spec.name} wrote:`);
      for (const line of p.tail) this.log(`[supervisor]   ${p.spec.name} | ${line}`);
      this.log(`[supervisor] fix the cause, then restart it alone with: npm run start:${p.spec.name} (or restart npm start)`);
    } else {
      p.state = 'waiting';
      p.restarts += 1;
      p.nextStartAt = now + decision.delayMs;
      this.log(`${what}; restarting in ${seconds(decision.delayMs)} (exit ${decision.history.consecutive} in a row)`);
      p.timer = this.clock.setTimeout(() => this.spawn(p), decision.delayMs);
    }
    this.changed();
  }

  private changed(): void {
    this.options.onChange?.(this.status());
  }
}
