/**
 * When a supervised process exits on its own, restart it after a pause or give up on it.
 * Pure: every time is passed in (milliseconds), so the rules are tested without waiting.
 *
 * - The pause doubles from 1 s with each exit in a row, capped at 30 s: 1, 2, 4, 8, 16, 30, 30...
 * - A run that stayed up 30 s (`stableAfterMs`) was a good run: the next exit starts again at 1 s
 *   and forgets the earlier crashes.
 * - A process that crashes at start-up is given up on: 5 exits (`maxCrashes`) within 2 minutes
 *   (`crashWindowMs`), none of them after a good run. With the 1+2+4+8 s of pauses between them
 *   that catches a process that dies within about 20 s of every start (a bad configuration, a
 *   migration that fails, a port in use: a service needs 4-10 s on a busy machine to load and
 *   reach its configuration check). One that dies later each time is restarted every 30 s at
 *   most, each exit logged with its code or signal.
 */
export interface RestartPolicy {
  initialDelayMs: number;
  maxDelayMs: number;
  stableAfterMs: number;
  maxCrashes: number;
  crashWindowMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = {
  initialDelayMs: 1_000,
  maxDelayMs: 30_000,
  stableAfterMs: 30_000,
  maxCrashes: 5,
  crashWindowMs: 120_000,
};

/** What the supervisor remembers of a process's exits since its last good run. */
export interface CrashHistory {
  /** Exits in a row since the last good run (that run's own exit included): sets the pause. */
  consecutive: number;
  /** When the crashes (exits before staying up `stableAfterMs`) inside the window happened. */
  exits: number[];
}

export const NO_CRASHES: CrashHistory = { consecutive: 0, exits: [] };

export interface Run {
  startedAt: number;
  exitedAt: number;
}

export type Decision =
  { action: 'restart'; delayMs: number; history: CrashHistory } | { action: 'give-up'; reason: string; history: CrashHistory };

/** The pause before restart number `consecutive` (1-based) of a run of exits. */
export const backoffDelay = (consecutive: number, policy: RestartPolicy = DEFAULT_RESTART_POLICY): number =>
  Math.min(policy.initialDelayMs * 2 ** Math.max(0, consecutive - 1), policy.maxDelayMs);

export const wasStable = (run: Run, policy: RestartPolicy = DEFAULT_RESTART_POLICY): boolean =>
  run.exitedAt - run.startedAt >= policy.stableAfterMs;

/** Decides what follows an unexpected exit, given the history before it; returns the history after it. */
export function afterExit(history: CrashHistory, run: Run, policy: RestartPolicy = DEFAULT_RESTART_POLICY): Decision {
  if (wasStable(run, policy)) {
    return { action: 'restart', delayMs: backoffDelay(1, policy), history: { consecutive: 1, exits: [] } };
  }
  const exits = [...history.exits, run.exitedAt].filter((at) => run.exitedAt - at < policy.crashWindowMs);
  const next: CrashHistory = { consecutive: history.consecutive + 1, exits };
  if (exits.length >= policy.maxCrashes) {
    const seconds = (ms: number) => `${Math.round(ms / 1000)} s`;
    return {
      action: 'give-up',
      reason: `exited ${exits.length} times within ${seconds(policy.crashWindowMs)}, never staying up ${seconds(policy.stableAfterMs)}`,
      history: next,
    };
  }
  return { action: 'restart', delayMs: backoffDelay(next.consecutive, policy), history: next };
}

/** The restart policy with overrides from the environment (SUPERVISOR_*_MS, SUPERVISOR_MAX_CRASHES), for tests and tuning. */
export function restartPolicyFromEnv(env: NodeJS.ProcessEnv = process.env): RestartPolicy {
  const read = (name: string, fallback: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number >= 0, got '${raw}'`);
    return value;
  };
  const d = DEFAULT_RESTART_POLICY;
  return {
    initialDelayMs: read('SUPERVISOR_INITIAL_DELAY_MS', d.initialDelayMs),
    maxDelayMs: read('SUPERVISOR_MAX_DELAY_MS', d.maxDelayMs),
    stableAfterMs: read('SUPERVISOR_STABLE_AFTER_MS', d.stableAfterMs),
    maxCrashes: Math.max(1, read('SUPERVISOR_MAX_CRASHES', d.maxCrashes)),
    crashWindowMs: read('SUPERVISOR_CRASH_WINDOW_MS', d.crashWindowMs),
  };
}
