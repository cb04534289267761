import { Injectable } from '@nestjs/common';
import { loadStream, PostgresEventStore } from '@sangam/event-store';
import type { ScopeKind, ScopeTarget, ScopeTies } from '@sangam/platform';
import { loanDecider } from './domain/loan.decider';

/** A loan is in a caller's scope when its lender or its borrowing SHG is (a member's loan is her SHG's). */
@Injectable()
export class LoanParties implements ScopeTies {
  constructor(private readonly store: PostgresEventStore) {}

  async partiesOf(_kind: ScopeKind, loanId: string): Promise<ScopeTarget[] | null> {
    const { state: loan } = await loadStream(this.store, loanId, loanDecider);
    if (loan.status === 'none') return null;
    const { lender, borrower } = loan.terms;
    const parties: ScopeTarget[] = [{ kind: lender.type, id: lender.id, from: 'path' }];
    return borrower.type === 'shg' ? [...parties, { kind: 'shg', id: borrower.id, from: 'path' }] : parties;
  }
}
