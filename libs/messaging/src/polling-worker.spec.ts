import { PollingWorker, type PollingWorkerOptions } from './polling-worker';

/** Longer than a test may take: a worker that waited this long would fail the test. */
const FOREVER = 10 * 60_000;

/** Rounds that answer from a script (the last answer repeats); a test can wait for the n-th round. */
function scriptedRounds(answers: (boolean | Error)[]) {
  let calls = 0;
  const waiting = new Map<number, () => void>();
  const round = async (): Promise<boolean> => {
    const answer = answers[Math.min(calls, answers.length - 1)];
    calls++;
    waiting.get(calls)?.();
    if (answer instanceof Error) throw answer;
    return answer;
  };
  const reached = (n: number) => new Promise<void>((resolve) => (calls >= n ? resolve() : waiting.set(n, resolve)));
  return { round, reached, calls: () => calls };
}

class ScriptedWorker extends PollingWorker {
  constructor(
    protected readonly round: () => Promise<boolean>,
    options: PollingWorkerOptions,
  ) {
    super(options);
  }
}

/** A worker whose pauses outlast the test: it runs a round after a pause only when nudged. */
const patientWorker = (round: () => Promise<boolean>) => new ScriptedWorker(round, { idleMs: FOREVER, retryAfterErrorMs: FOREVER });

/** Lets the worker finish what it does after a round, up to its pause. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('PollingWorker', () => {
  it('runs the next round at once while rounds find work, and stop ends the pause after one that found none', async () => {
    const rounds = scriptedRounds([true, true, false]);
    const worker = patientWorker(rounds.round);
    worker.start();
    await rounds.reached(3);
    await worker.stop();
    expect(rounds.calls()).toBe(3);
  });

  it('pauses after a round that found nothing until it is nudged', async () => {
    const rounds = scriptedRounds([false]);
    const worker = patientWorker(rounds.round);
    worker.start();
    await rounds.reached(1);
    await settle();
    expect(rounds.calls()).toBe(1);
    worker.nudge();
    await rounds.reached(2);
    await worker.stop();
    expect(rounds.calls()).toBe(2);
  });

  it('runs another round at once when nudged during a round that found nothing', async () => {
    let nudgeDuringRound: () => void = () => undefined;
    const rounds = scriptedRounds([false]);
    const worker = patientWorker(async () => {
      const found = await rounds.round();
      if (rounds.calls() === 1) nudgeDuringRound();
      return found;
    });
    nudgeDuringRound = () => worker.nudge();
    worker.start();
    await rounds.reached(2);
    await settle();
    await worker.stop();
    expect(rounds.calls()).toBe(2);
  });

  it('reports a failed round and carries on after the retry pause', async () => {
    const failure = new Error('broker down');
    const errors: unknown[] = [];
    const rounds = scriptedRounds([failure, false]);
    const worker = new ScriptedWorker(rounds.round, { idleMs: FOREVER, retryAfterErrorMs: 1, onError: (error) => errors.push(error) });
    worker.start();
    await rounds.reached(2);
    await worker.stop();
    expect(errors).toEqual([failure]);
  });

  it('starts one loop however often it is started', async () => {
    const rounds = scriptedRounds([false]);
    const worker = patientWorker(rounds.round);
    worker.start();
    worker.start();
    await rounds.reached(1);
    await settle();
    await worker.stop();
    expect(rounds.calls()).toBe(1);
  });
});
