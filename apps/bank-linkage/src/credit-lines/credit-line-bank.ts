import { Injectable } from '@nestjs/common';
import { loadStream, PostgresEventStore } from '@sangam/event-store';
import type { ScopeKind, ScopeTarget, ScopeTies } from '@sangam/platform';
import { creditLineDecider } from './domain/credit-line.decider';

/** A credit line is in a caller's scope when its bank is. */
@Injectable()
export class CreditLineBank implements ScopeTies {
  constructor(private readonly store: PostgresEventStore) {}

  async partiesOf(_kind: ScopeKind, creditLineId: string): Promise<ScopeTarget[] | null> {
    const { state } = await loadStream(this.store, creditLineId, creditLineDecider);
    return state.status === 'sanctioned' ? [{ kind: 'bank', id: state.bankId, from: 'path' }] : null;
  }
}
