import { Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { PollingWorker } from '@sangam/messaging';

export interface ServiceWorkerOptions {
  /** The logger's context. */
  name: string;
  idleMs: number;
  retryAfterErrorMs: number;
  /** Logged (as a warning, with the error) when a round fails. */
  failedRound: string;
}

/** A polling worker that runs for the life of a service: started once the app is up, stopped before it shuts down. */
export abstract class ServiceWorker extends PollingWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  protected readonly logger: Logger;

  constructor({ name, idleMs, retryAfterErrorMs, failedRound }: ServiceWorkerOptions) {
    super({ idleMs, retryAfterErrorMs, onError: (error) => this.logger.warn({ msg: failedRound, error: String(error) }) });
    this.logger = new Logger(name);
  }

  onApplicationBootstrap(): void {
    this.start();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.stop();
  }
}
