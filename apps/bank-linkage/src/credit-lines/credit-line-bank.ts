import { Injectable } from '@nestjs/common';
import type { ScopeKind, ScopeTarget, ScopeTies } from '@sangam/platform';
import { CreditLineQuery } from './credit-line.query';

/** A credit line is in a caller's scope when its bank is. */
@Injectable()
export class CreditLineBank extends CreditLineQuery implements ScopeTies {
  async partiesOf(_kind: ScopeKind, creditLineId: string): Promise<ScopeTarget[] | null> {
    const state = await this.byId(creditLineId);
    return state.status === 'sanctioned' ? [{ kind: 'bank', id: state.bankId, from: 'path' }] : null;
  }
}
