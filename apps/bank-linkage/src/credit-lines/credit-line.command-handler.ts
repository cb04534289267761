import { Injectable } from '@nestjs/common';
import { CommandHandler, PostgresEventStore } from '@sangam/event-store';
import { creditLineDecider, type CreditLineCommand, type CreditLineState } from './domain/credit-line.decider';
import { CREDIT_LINE_STREAM_TYPE, type CreditLineEvent } from './domain/credit-line.events';

/**
 * The command path of a credit line. Decisions queue on its stream's row: a line is drawn and
 * repaid by bank officers, by the loan saga and by bank webhooks at once.
 */
@Injectable()
export class CreditLineCommandHandler extends CommandHandler<CreditLineState, CreditLineCommand, CreditLineEvent> {
  constructor(store: PostgresEventStore) {
    super(store, { decider: creditLineDecider, streamType: CREDIT_LINE_STREAM_TYPE });
  }
}
