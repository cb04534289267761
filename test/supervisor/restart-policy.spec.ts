import {
  afterExit,
  backoffDelay,
  DEFAULT_RESTART_POLICY,
  NO_CRASHES,
  restartPolicyFromEnv,
  type CrashHistory,
  type Decision,
} from '../../scripts/supervisor/restart-policy';

/** Plays a process's life: each step runs it for `upMs`, then it exits; the pause the policy chose passes before the next run. */
function play(runs: number[], history: CrashHistory = NO_CRASHES, startAt = 0): Decision[] {
  const decisions: Decision[] = [];
  let now = startAt;
  for (const upMs of runs) {
    const decision = afterExit(history, { startedAt: now, exitedAt: now + upMs });
    decisions.push(decision);
    history = decision.history;
    now += upMs + (decision.action === 'restart' ? decision.delayMs : 0);
  }
  return decisions;
}

const delays = (decisions: Decision[]) => decisions.map((d) => (d.action === 'restart' ? d.delayMs : d.action));

describe('the restart policy', () => {
  it('doubles the pause from 1 s and caps it at 30 s', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 20].map((n) => backoffDelay(n))).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  });

  it('gives up on a process that exits at start-up 5 times within 2 minutes, saying why', () => {
    const decisions = play([500, 500, 500, 500, 500]);
    expect(delays(decisions)).toEqual([1000, 2000, 4000, 8000, 'give-up']);
    expect(decisions[4]).toMatchObject({ action: 'give-up', reason: 'exited 5 times within 120 s, never staying up 30 s' });
  });

  it('counts a start-up that takes a while: 5 exits 20 s after each start still fall within the window', () => {
    expect(delays(play([20_000, 20_000, 20_000, 20_000, 20_000]))).toEqual([1000, 2000, 4000, 8000, 'give-up']);
  });

  it('keeps restarting, 30 s apart at most, a process whose exits are spread wider than the window', () => {
    const decisions = play([28_000, 28_000, 28_000, 28_000, 28_000, 28_000, 28_000, 28_000]);
    expect(delays(decisions)).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
    expect(decisions.every((d) => d.history.exits.length < DEFAULT_RESTART_POLICY.maxCrashes)).toBe(true);
  });

  it('starts again from 1 s after a run that stayed up 30 s, forgetting the earlier crashes', () => {
    const crashes = play([500, 500, 500, 500]);
    expect(delays(crashes)).toEqual([1000, 2000, 4000, 8000]);
    const afterGoodRun = play([30_000, 500, 500, 500], crashes[3].history, 20_000);
    expect(delays(afterGoodRun)).toEqual([1000, 2000, 4000, 8000]);
    expect(afterGoodRun[0].history).toEqual({ consecutive: 1, exits: [] });
  });

  it('does not give up on an exit after a good run, however many exits came before it', () => {
    const history: CrashHistory = { consecutive: 4, exits: [1000, 2000, 3000, 4000] };
    const decision = afterExit(history, { startedAt: 5000, exitedAt: 40_000 });
    expect(decision).toEqual({ action: 'restart', delayMs: 1000, history: { consecutive: 1, exits: [] } });
  });

  it('reads overrides from the environment and refuses nonsense', () => {
    expect(restartPolicyFromEnv({})).toEqual(DEFAULT_RESTART_POLICY);
    expect(restartPolicyFromEnv({ SUPERVISOR_MAX_CRASHES: '3', SUPERVISOR_INITIAL_DELAY_MS: '200' })).toMatchObject({
      maxCrashes: 3,
      initialDelayMs: 200,
    });
    expect(() => restartPolicyFromEnv({ SUPERVISOR_STABLE_AFTER_MS: 'soon' })).toThrow('SUPERVISOR_STABLE_AFTER_MS must be a whole number');
  });
});
