import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { UnitOfWork } from '@sangam/event-store';
import { Topics, type ConsumedEvent } from '@sangam/messaging';
import { ConsumerHost } from '@sangam/platform';
import { LoanCommandHandler } from '../loan.command-handler';
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
    private readonly loans: LoanCommandHandler,
  ) {
    consumers.register({
      name: 'lending.funding-answers',
      topics: [Topics.bankLinkage, Topics.groups],
      appliesTo: (envelope) => fundingAnswer(envelope) !== null,
      handle: (events, manager) => this.handle(events, manager),
    });
  }

  private async handle(events: ConsumedEvent[], manager: EntityManager): Promise<void> {
    const unit = UnitOfWork.joining(manager);
    for (const { envelope } of events) {
      const command = fundingAnswer(envelope);
      if (!command) continue;
      const metadata = { correlationId: envelope.correlationId, causationId: envelope.eventId, actor: { service: 'lending' } };
      await this.loans.handle(unit, command.data.loanId, { ...command, metadata });
    }
  }
}
