import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { PostgresEventStore } from '@sangam/event-store';
import { Topics, type ConsumedEvent } from '@sangam/messaging';
import { ConsumerHost } from '@sangam/platform';
import { decideOnLoan } from '../loan-commands';
import { creditDrawAnswer } from './credit-draw-answers';

/**
 * The lending half of the credit-line saga. Each answer is applied exactly once: the consumer skips
 * event ids it has seen, the loan ignores an answer once it is no longer pending, and the loan's
 * new events commit in the transaction that moves the checkpoint.
 */
@Injectable()
export class CreditDrawAnswersConsumer {
  constructor(
    consumers: ConsumerHost,
    private readonly store: PostgresEventStore,
  ) {
    consumers.register({ name: 'lending.credit-draw-answers', topics: [Topics.bankLinkage], handle: (events, manager) => this.handle(events, manager) });
  }

  private async handle(events: ConsumedEvent[], manager: EntityManager): Promise<void> {
    for (const { envelope } of events) {
      const command = creditDrawAnswer(envelope);
      if (!command) continue;
      await decideOnLoan(this.store, manager, command.data.loanId, () => command, {
        correlationId: envelope.correlationId,
        causationId: envelope.eventId,
        actor: { service: 'lending' },
      });
    }
  }
}
