import { randomUUID } from 'node:crypto';
import { Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError } from '@sangam/domain';
import { PostgresEventStore, UnitOfWork, type StoredEvent } from '@sangam/event-store';
import { isTransient, PollingWorker } from '@sangam/messaging';
import { businessDatesToday } from '@sangam/platform';
import { CreditLineCommandHandler } from '../../credit-lines/credit-line.command-handler';
import { commandFor, parseBankNotification } from '../domain/bank-notification';
import { lockNextPending, markFailed, markProcessed, type DeliveryRow } from '../webhook-deliveries';

/** Any constant: it names the lock that keeps one processor at a time, so deliveries apply in arrival order. */
const PROCESSOR_LOCK = 727_101;
const IDLE_MS = 250;
const RETRY_AFTER_ERROR_MS = 1000;
/**
 * Deliveries processed in one transaction: under load the processor lags behind the inbox and
 * catches up in batches, a commit for many instead of one each. Small enough that the line rows a
 * batch locks are not held long.
 */
const DELIVERIES_PER_ROUND = 25;

/**
 * Turns stored bank deliveries into credit-line events. Each delivery's events and its mark
 * (processed) commit in one transaction, with those of the deliveries before it in its batch, so
 * it applies exactly once; a
 * delivery the line refuses (unknown line, broken rule) is marked failed with the reason, for an
 * operator to re-drive after a fix.
 */
@Injectable()
export class DeliveryProcessor extends PollingWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('webhook-deliveries');

  constructor(
    private readonly dataSource: DataSource,
    private readonly store: PostgresEventStore,
    private readonly creditLines: CreditLineCommandHandler,
  ) {
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

  /** Processes the oldest pending deliveries, in arrival order; false when none waits (or another instance is at work). */
  protected round(): Promise<boolean> {
    return UnitOfWork.run(this.dataSource, async (unit) => {
      const [{ locked }] = await unit.manager.query<{ locked: boolean }[]>(`SELECT pg_try_advisory_xact_lock($1) AS locked`, [
        PROCESSOR_LOCK,
      ]);
      const deliveries = locked ? await lockNextPending(unit.manager, DELIVERIES_PER_ROUND) : [];
      if (deliveries.length === 0) return false;
      const streams = await this.store.readStreams(
        deliveries.map((delivery) => delivery.id),
        unit.manager,
      );
      const processed: string[] = [];
      for (const delivery of deliveries) {
        if (await this.process(unit, delivery, streams.get(delivery.id)![0])) processed.push(delivery.id);
      }
      await markProcessed(unit.manager, processed);
      return true;
    });
  }

  /** Applies one delivery; true when the line took it, false when it was marked failed. */
  private async process(unit: UnitOfWork, delivery: DeliveryRow, accepted: StoredEvent | undefined): Promise<boolean> {
    const { manager } = unit;
    const parsed = parseBankNotification(delivery.body, businessDatesToday().occurred);
    if (!parsed.ok) {
      await markFailed(manager, delivery.id, 'invalid_payload', parsed.reason);
      return false;
    }
    const metadata = { correlationId: delivery.id, causationId: accepted?.eventId ?? null, actor: { bankId: delivery.bank_id } };
    const command = commandFor(delivery.bank_id, parsed.notification, randomUUID());
    try {
      await this.creditLines.handle(unit, command.data.creditLineId, { ...command, metadata });
      return true;
    } catch (error) {
      if (isTransient(error)) throw error;
      if (!(error instanceof DomainError))
        this.logger.error({ delivery: delivery.id, msg: 'processing a delivery failed', error: String(error) });
      const [code, message] =
        error instanceof DomainError
          ? [error.code, error.message]
          : ['processing_error', 'Processing failed unexpectedly; see the service log'];
      await markFailed(manager, delivery.id, code, message);
      return false;
    }
  }
}
