export interface PollingWorkerOptions {
  /** The pause after a round that found nothing to do; a nudge ends it early. */
  idleMs: number;
  /** The pause after a round that failed. */
  retryAfterErrorMs: number;
  onError?: (error: unknown) => void;
}

/**
 * Runs `round()` until stopped: the next round at once while rounds find work (it answers true),
 * after a pause when one finds none or fails. `nudge()` ends a pause when new work has arrived;
 * a nudge during a round (whose query may have run before the work was committed) skips the pause.
 */
export abstract class PollingWorker {
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private nudged = false;

  constructor(private readonly polling: PollingWorkerOptions) {}

  /** One unit of work; true when it found something to do. */
  protected abstract round(): Promise<boolean>;

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Resolves once the round in progress, if any, has finished. */
  async stop(): Promise<void> {
    this.running = false;
    this.nudge();
    await this.loop;
  }

  nudge(): void {
    this.nudged = true;
    this.wake?.();
  }

  private async run(): Promise<void> {
    while (this.running) {
      let foundWork: boolean;
      this.nudged = false;
      try {
        foundWork = await this.round();
      } catch (error) {
        this.polling.onError?.(error);
        await this.sleep(this.polling.retryAfterErrorMs);
        continue;
      }
      if (!foundWork && !this.nudged) await this.sleep(this.polling.idleMs);
    }
  }

  private sleep(ms: number): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }
}
