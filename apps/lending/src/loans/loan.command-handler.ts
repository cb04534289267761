import { Injectable } from '@nestjs/common';
import { CommandHandler, PostgresEventStore } from '@sangam/event-store';
import { changeFunds, fundChangesOf } from '../lenders/lender-funds';
import { loanDecider, type LoanCommand, type LoanState } from './domain/loan.decider';
import { LOAN_STREAM_TYPE, type LoanEvent } from './domain/loan.events';

/**
 * The command path of a loan. Decisions on one loan queue on its stream's row (a loan is decided
 * on by people and by the funding saga at once); the fund movements its events cause (common-fund
 * disbursements and repayments) commit with them.
 */
@Injectable()
export class LoanCommandHandler extends CommandHandler<LoanState, LoanCommand, LoanEvent> {
  constructor(store: PostgresEventStore) {
    super(store, {
      decider: loanDecider,
      streamType: LOAN_STREAM_TYPE,
      commitWith: (manager, events) => changeFunds(manager, fundChangesOf(events)),
    });
  }
}
