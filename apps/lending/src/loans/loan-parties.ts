import { Injectable } from '@nestjs/common';
import type { ScopeKind, ScopeTarget, ScopeTies } from '@sangam/platform';
import { LoanQuery } from './loan.query';

/** A loan is in a caller's scope when its lender or its borrowing SHG is (a member's loan is her SHG's). */
@Injectable()
export class LoanParties extends LoanQuery implements ScopeTies {
  async partiesOf(_kind: ScopeKind, loanId: string): Promise<ScopeTarget[] | null> {
    const loan = await this.byId(loanId);
    if (loan.status === 'none') return null;
    const { lender, borrower } = loan.terms;
    const parties: ScopeTarget[] = [{ kind: lender.type, id: lender.id, from: 'path' }];
    return borrower.type === 'shg' ? [...parties, { kind: 'shg', id: borrower.id, from: 'path' }] : parties;
  }
}
