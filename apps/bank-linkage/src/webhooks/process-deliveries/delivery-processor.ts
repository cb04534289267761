import { randomUUID } from 'node:crypto';
import { Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { DomainError } from '@sangam/domain';
import { PostgresEventStore } from '@sangam/event-store';
import { isTransient } from '@sangam/messaging';
import { creditLineStream } from '../../credit-lines/credit-line.stream';
import { creditLineDecider } from '../../credit-lines/domain/credit-line.decider';
import { decideInTransaction, withSavepoint } from '../../shared/transaction';
import { commandFor, parseBankNotification } from '../domain/bank-notification';
import { lockNextPending, markFailed, markProcessed, type DeliveryRow } from '../webhook-deliveries';

/** Any constant: it names the lock that keeps one processor at a time, so deliveries apply in arrival order. */
const PROCESSOR_LOCK = 727_101;
const IDLE_MS = 250;
const RETRY_AFTER_ERROR_MS = 1000;

/**
 * Turns stored bank deliveries into credit-line events. Each delivery is processed in one
 * transaction that appends its events and marks it processed, so it applies exactly once; a
 * delivery the line refuses (unknown line, broken rule) is marked failed with the reason, for an
 * operator to re-drive after a fix.
 */
@Injectable()
export class DeliveryProcessor implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('webhook-deliveries');
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly store: PostgresEventStore,
  ) {}

  onApplicationBootstrap(): void {
    this.running = true;
    this.loop = this.run();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.running = false;
    this.nudge();
    await this.loop;
  }

  nudge(): void {
    this.wake?.();
  }

  /** Processes the oldest pending delivery; false when none waits (or another instance is at work). */
  async processNext(): Promise<boolean> {
    const appended = await this.dataSource.transaction(async (manager) => {
      const [{ locked }] = await manager.query(`SELECT pg_try_advisory_xact_lock($1) AS locked`, [PROCESSOR_LOCK]);
      const delivery = locked ? await lockNextPending(manager) : null;
      return delivery ? this.process(manager, delivery) : null;
    });
    if (appended) this.store.notifications.emit('appended', appended);
    return appended !== null;
  }

  private async process(manager: EntityManager, delivery: DeliveryRow): Promise<number> {
    const parsed = parseBankNotification(delivery.body);
    if (!parsed.ok) {
      await markFailed(manager, delivery.id, 'invalid_payload', parsed.reason);
      return 0;
    }
    const [accepted] = await this.store.readStream(delivery.id, manager);
    const metadata = { correlationId: delivery.id, causationId: accepted?.eventId ?? null };
    const command = commandFor(delivery.bank_id, parsed.notification, randomUUID());
    try {
      const { events } = await withSavepoint(manager, () =>
        decideInTransaction(this.store, manager, creditLineStream(command.creditLineId), creditLineDecider, command, metadata),
      );
      await markProcessed(manager, delivery.id);
      return events.length;
    } catch (error) {
      if (isTransient(error)) throw error;
      if (!(error instanceof DomainError)) this.logger.error({ delivery: delivery.id, msg: 'processing a delivery failed', error: String(error) });
      const [code, message] = error instanceof DomainError ? [error.code, error.message] : ['processing_error', 'Processing failed unexpectedly; see the service log'];
      await markFailed(manager, delivery.id, code, message);
      return 0;
    }
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        if (await this.processNext()) continue;
        await this.sleep(IDLE_MS);
      } catch (error) {
        this.logger.warn({ msg: 'processing deliveries paused after an error, will retry', error: String(error) });
        await this.sleep(RETRY_AFTER_ERROR_MS);
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}
