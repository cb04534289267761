import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DomainError, type CommandMetadata } from '@sangam/domain';
import { PostgresEventStore, UnitOfWork } from '@sangam/event-store';
import { Topics, type ConsumedEvent, type EventEnvelope } from '@sangam/messaging';
import { ConsumerHost } from '@sangam/platform';
import type { ShgCommand } from '../domain/shg.decider';
import { ShgCommandHandler } from '../shg.command-handler';
import { savingsCommandOf } from './lending-requests';

/** A refusal for an SHG groups does not know has no SHG stream to go on: it gets the request's own. */
export const SAVINGS_REQUEST_STREAM_TYPE = 'savings-lending-request';

/**
 * Groups' part of the loan saga for SHG savings: it owns the money, so it decides on the SHG's
 * stream whether the loan is lent from free funds (ShgSavingsLent) or refused
 * (ShgSavingsLendingRejected), and counts the repayments of those loans. Each answer commits with
 * the consumer's checkpoint and the request's eventId; the SHG stream remembers every loan it
 * answered, so neither a redelivery nor a second instance answers twice. A withdrawal or a pooling
 * racing for the same rupees loses the stream's version race and is decided again on what is left.
 */
@Injectable()
export class LendSavingsConsumer {
  constructor(
    consumers: ConsumerHost,
    private readonly store: PostgresEventStore,
    private readonly shgs: ShgCommandHandler,
  ) {
    consumers.register({
      name: 'groups.lend-savings',
      topics: [Topics.lending],
      appliesTo: (envelope) => savingsCommandOf(envelope) !== null,
      handle: (events, manager) => this.handle(events, manager),
    });
  }

  private async handle(events: ConsumedEvent[], manager: EntityManager): Promise<void> {
    const asked = events.flatMap(({ envelope }) => {
      const command = savingsCommandOf(envelope);
      return command ? [{ envelope, command }] : [];
    });
    await this.store.lockStreams(
      manager,
      asked.map(({ command }) => command.data.shgId),
    );
    const unit = UnitOfWork.joining(manager);
    for (const { envelope, command } of asked) await this.answer(unit, envelope, command);
  }

  private async answer(unit: UnitOfWork, request: EventEnvelope, command: ShgCommand): Promise<void> {
    const metadata: CommandMetadata = { correlationId: request.correlationId, causationId: request.eventId, actor: { service: 'groups' } };
    try {
      await this.shgs.handle(unit, command.data.shgId, { ...command, metadata });
    } catch (error) {
      if (!(error instanceof DomainError && error.category === 'not_found')) throw error;
      // An SHG groups does not know lent nothing: a repayment counts nothing, a request is refused.
      if (command.type !== 'LendSavings') return;
      const { shgId, loanId, amount, lentOn } = command.data;
      await this.store.appendInTransaction(
        unit.manager,
        {
          streamId: request.eventId,
          streamType: SAVINGS_REQUEST_STREAM_TYPE,
          expectedVersion: 0,
          events: [{ type: 'ShgSavingsLendingRejected', data: { shgId, loanId, amount, reason: 'unknown_shg', rejectedOn: lentOn } }],
        },
        metadata,
      );
    }
  }
}
