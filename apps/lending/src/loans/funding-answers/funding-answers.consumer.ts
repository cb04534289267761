import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { PostgresEventStore } from '@sangam/event-store';
import { Topics, type ConsumedEvent } from '@sangam/messaging';
import { ConsumerHost } from '@sangam/platform';
import { decideOnLoan } from '../loan-commands';
import { fundingAnswer } from './funding-answers';

/**
 * The lending half of the funding sagas (credit lines with bank-linkage, SHG savings with groups).
 * Each answer is applied exactly once: the consumer skips event ids it has seen, the loan ignores
 * an answer once it is no longer pending, and the loan's new events commit in the transaction that
 * moves the checkpoint.
 */
@Injectable()
export class FundingAnswersConsumer {
  constructor(
    consumers: ConsumerHost,
    private readonly store: PostgresEventStore,
  ) {
    consumers.register({ name: 'lending.funding-answers', topics: [Topics.bankLinkage, Topics.groups], handle: (events, manager) => this.handle(events, manager) });
  }

  private async handle(events: ConsumedEvent[], manager: EntityManager): Promise<void> {
    for (const { envelope } of events) {
      const command = fundingAnswer(envelope);
      if (!command) continue;
      await decideOnLoan(this.store, manager, command.data.loanId, () => command, {
        correlationId: envelope.correlationId,
        causationId: envelope.eventId,
        actor: { service: 'lending' },
      });
    }
  }
}
