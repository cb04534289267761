import { Injectable } from '@nestjs/common';
import { PostgresEventStore, readState } from '@sangam/event-store';
import { loanDecider, type LoanState } from './domain/loan.decider';

/** A loan as its stream tells it now: for `GET /loans/:id` and for whose scope a loan is in. */
@Injectable()
export class LoanQuery {
  constructor(private readonly store: PostgresEventStore) {}

  async byId(loanId: string): Promise<LoanState> {
    return (await readState(this.store, loanDecider, loanId)).state;
  }
}
