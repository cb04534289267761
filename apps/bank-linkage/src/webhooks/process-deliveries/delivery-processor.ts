import { randomUUID } from 'node:crypto';
import { Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DomainError } from '@sangam/domain';
import { decideInTransaction, PostgresEventStore, withSavepoint, type StoredEvent } from '@sangam/event-store';
import { isTransient, PollingWorker } from '@sangam/messaging';
import { businessDatesToday } from '@sangam/platform';
import { creditLineStream } from '../../credit-lines/credit-line.stream';
import { creditLineDecider } from '../../credit-lines/domain/credit-line.decider';
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
export class DeliveryProcessor extends PollingWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('webhook-deliveries');

  constructor(private readonly store: PostgresEventStore) {
    super({
      idleMs: IDLE_MS,
      retryAfterErrorMs: RETRY_AFTER_ERROR_MS,
      onError: (error) => this.logger.warn({ msg: 'processing deliveries paused after an error, will retry', error: String(error) }),
    });
  }

  onApplicationBootstrap(): void {
    this.start();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.stop();
  }

  /** Processes the oldest pending delivery; false when none waits (or another instance is at work). */
  protected async round(): Promise<boolean> {
    const { processed } = await this.store.transaction(async (manager) => {
      const [{ locked }] = await manager.query(`SELECT pg_try_advisory_xact_lock($1) AS locked`, [PROCESSOR_LOCK]);
      const delivery = locked ? await lockNextPending(manager) : null;
      return delivery ? { processed: true, events: await this.process(manager, delivery) } : { processed: false, events: [] };
    });
    return processed;
  }

  private async process(manager: EntityManager, delivery: DeliveryRow): Promise<StoredEvent[]> {
    const parsed = parseBankNotification(delivery.body, businessDatesToday().occurred);
    if (!parsed.ok) {
      await markFailed(manager, delivery.id, 'invalid_payload', parsed.reason);
      return [];
    }
    const [accepted] = await this.store.readStream(delivery.id, manager);
    const metadata = { correlationId: delivery.id, causationId: accepted?.eventId ?? null, actor: { bankId: delivery.bank_id } };
    const command = commandFor(delivery.bank_id, parsed.notification, randomUUID());
    try {
      const { events } = await withSavepoint(manager, () =>
        decideInTransaction(this.store, manager, creditLineStream(command.creditLineId), creditLineDecider, () => command, metadata),
      );
      await markProcessed(manager, delivery.id);
      return events;
    } catch (error) {
      if (isTransient(error)) throw error;
      if (!(error instanceof DomainError)) this.logger.error({ delivery: delivery.id, msg: 'processing a delivery failed', error: String(error) });
      const [code, message] = error instanceof DomainError ? [error.code, error.message] : ['processing_error', 'Processing failed unexpectedly; see the service log'];
      await markFailed(manager, delivery.id, code, message);
      return [];
    }
  }
}
