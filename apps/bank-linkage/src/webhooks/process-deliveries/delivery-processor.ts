import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError } from '@sangam/domain';
import { PostgresEventStore, UnitOfWork, type IssuedCommand } from '@sangam/event-store';
import { isTransient } from '@sangam/messaging';
import { businessDatesToday, ServiceWorker } from '@sangam/platform';
import { CreditLineCommandHandler } from '../../credit-lines/credit-line.command-handler';
import type { CreditLineCommand } from '../../credit-lines/domain/credit-line.decider';
import { commandFor, parseBankNotification } from '../domain/bank-notification';
import { lockNextPending, markFailed, markProcessed, type DeliveryRow } from '../webhook-deliveries';

/** A delivery and the command it asks of its credit line. */
type LineCommand = { delivery: DeliveryRow; command: IssuedCommand<CreditLineCommand> };

/** Any constant: it names the lock that keeps one processor at a time, so each line's deliveries apply in arrival order. */
const PROCESSOR_LOCK = 727_101;
const IDLE_MS = 250;
const RETRY_AFTER_ERROR_MS = 1000;
/**
 * Deliveries processed in one transaction, a commit (and a relay batch, a Kafka produce, a
 * consumer transaction downstream) for many instead of one each. Small enough that the line rows
 * a batch locks are not held long.
 */
const DELIVERIES_PER_ROUND = 100;
/**
 * How long stored deliveries wait for others to make up a batch. Under a steady stream a round
 * after every stored group (5 or so deliveries) cost the processor 40% of the service's
 * statements; the bank's answer never waits for processing, so a tenth of a second costs it nothing.
 */
const GATHER_MS = 100;

/**
 * Turns stored bank deliveries into credit-line events. Each delivery's events and its mark
 * (processed) commit in one transaction, with those of the deliveries before it in its batch, so
 * it applies exactly once; a batch's deliveries to one line are decided together on the line's
 * state, in arrival order, and appended in one statement. A delivery the line refuses (unknown
 * line, broken rule) is marked failed with the reason, for an operator to re-drive after a fix.
 */
@Injectable()
export class DeliveryProcessor extends ServiceWorker {
  private gathered = 0;
  private gathering: NodeJS.Timeout | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly store: PostgresEventStore,
    private readonly creditLines: CreditLineCommandHandler,
  ) {
    super({
      name: 'webhook-deliveries',
      idleMs: IDLE_MS,
      retryAfterErrorMs: RETRY_AFTER_ERROR_MS,
      failedRound: 'processing deliveries paused after an error, will retry',
    });
  }

  /** Deliveries were stored: a round starts once a batch has gathered, or GATHER_MS after the first of them. */
  deliveriesStored(count: number): void {
    this.gathered += count;
    if (this.gathered >= DELIVERIES_PER_ROUND) this.nudge();
    else this.gathering ??= setTimeout(() => this.nudge(), GATHER_MS).unref();
  }

  /** A round at once (a re-drive, shutting down, a batch gathered). */
  override nudge(): void {
    this.stopGathering();
    super.nudge();
  }

  /** A round is starting (or about to): it takes what has gathered, so counting starts again. */
  private stopGathering(): void {
    clearTimeout(this.gathering);
    this.gathering = undefined;
    this.gathered = 0;
  }

  /**
   * Processes the oldest pending deliveries, each line's in arrival order. Another round at once
   * only after a full batch: what is stored later nudges the processor once a batch has gathered.
   */
  protected async round(): Promise<boolean> {
    // Stored before now means committed before the round's read: this round takes them.
    this.stopGathering();
    return (await this.processBatch()) >= DELIVERIES_PER_ROUND;
  }

  /** How many deliveries it took from the inbox: 0 when none waits (or another instance is at work). */
  private processBatch(): Promise<number> {
    return UnitOfWork.run(this.dataSource, async (unit) => {
      const [{ locked }] = await unit.manager.query<{ locked: boolean }[]>(`SELECT pg_try_advisory_xact_lock($1) AS locked`, [
        PROCESSOR_LOCK,
      ]);
      const deliveries = locked ? await lockNextPending(unit.manager, DELIVERIES_PER_ROUND) : [];
      if (deliveries.length === 0) return 0;
      const streams = await this.store.readStreams(
        deliveries.map((delivery) => delivery.id),
        unit.manager,
      );
      const byLine = new Map<string, LineCommand[]>();
      for (const delivery of deliveries) {
        const parsed = parseBankNotification(delivery.body, businessDatesToday().occurred);
        if (!parsed.ok) {
          await markFailed(unit.manager, delivery.id, 'invalid_payload', parsed.reason);
          continue;
        }
        const accepted = streams.get(delivery.id)![0];
        const metadata = { correlationId: delivery.id, causationId: accepted?.eventId ?? null, actor: { bankId: delivery.bank_id } };
        const command = { ...commandFor(delivery.bank_id, parsed.notification, randomUUID()), metadata };
        const line = command.data.creditLineId;
        byLine.set(line, [...(byLine.get(line) ?? []), { delivery, command }]);
      }
      const processed: string[] = [];
      // Lines in id order, the order every multi-stream writer locks rows in.
      for (const line of [...byLine.keys()].sort()) processed.push(...(await this.applyToLine(unit, line, byLine.get(line)!)));
      await markProcessed(unit.manager, processed);
      return deliveries.length;
    });
  }

  /**
   * A line's deliveries, decided one after another on the state each leaves, with one lock, one
   * read and one append; a delivery the line refuses is marked failed. When something other than
   * a refusal fails them together, each is applied alone, so only the one at fault fails. Answers
   * the deliveries the line took.
   */
  private async applyToLine(unit: UnitOfWork, line: string, commands: LineCommand[]): Promise<string[]> {
    let outcomes: unknown[];
    try {
      outcomes = await this.creditLines.handleEach(
        unit,
        line,
        commands.map((c) => c.command),
      );
    } catch (error) {
      if (isTransient(error)) throw error;
      outcomes = commands.length === 1 ? [error] : await this.eachAlone(unit, line, commands);
    }
    const taken: string[] = [];
    for (const [i, { delivery }] of commands.entries()) {
      if (await this.recordOutcome(unit, delivery, outcomes[i])) taken.push(delivery.id);
    }
    return taken;
  }

  /** Each command in a savepoint of its own: what it threw, or what it decided. */
  private async eachAlone(unit: UnitOfWork, line: string, commands: LineCommand[]): Promise<unknown[]> {
    const outcomes: unknown[] = [];
    for (const { command } of commands) outcomes.push(await this.creditLines.handle(unit, line, command).catch((error: unknown) => error));
    return outcomes;
  }

  /** True when the line took the delivery; a failure other than a transient one marks it failed with the reason. */
  private async recordOutcome(unit: UnitOfWork, delivery: DeliveryRow, outcome: unknown): Promise<boolean> {
    if (!(outcome instanceof Error)) return true;
    if (isTransient(outcome)) throw outcome;
    if (!(outcome instanceof DomainError))
      this.logger.error({ delivery: delivery.id, msg: 'processing a delivery failed', error: String(outcome) });
    const [code, message] =
      outcome instanceof DomainError
        ? [outcome.code, outcome.message]
        : ['processing_error', 'Processing failed unexpectedly; see the service log'];
    await markFailed(unit.manager, delivery.id, code, message);
    return false;
  }
}
