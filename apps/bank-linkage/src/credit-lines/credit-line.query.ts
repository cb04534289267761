import { Injectable } from '@nestjs/common';
import { PostgresEventStore, readState } from '@sangam/event-store';
import { creditLineDecider, type CreditLineState } from './domain/credit-line.decider';

/** A credit line as its stream tells it now, so it reflects every committed write at once. */
@Injectable()
export class CreditLineQuery {
  constructor(private readonly store: PostgresEventStore) {}

  async byId(creditLineId: string): Promise<CreditLineState> {
    return (await readState(this.store, creditLineDecider, creditLineId)).state;
  }
}
