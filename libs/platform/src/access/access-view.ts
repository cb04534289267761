import { Inject, Injectable, Optional } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { DataSource, type EntityManager } from 'typeorm';
import { NotFoundError } from '@sangam/domain';
import type { InlineProjection } from '@sangam/event-store';
import { queryPrepared, type EventEnvelope } from '@sangam/messaging';
import { accessFactOf, type AccessFact } from './access-facts';
import { noSuchResource } from '../http/route-ids';
import { seesEverything, type Caller } from './caller';
import type { ScopeKind, ScopeTarget } from './route-policy';

/**
 * How a service finds the parties of an object it owns (a loan's lender and borrower, a credit
 * line's bank): the object is in a caller's scope when one of them is. Null: no such object.
 */
export interface ScopeTies {
  partiesOf(kind: ScopeKind, id: string): Promise<ScopeTarget[] | null>;
}
export const SCOPE_TIES = 'sangam:scope-ties';

const LABEL: Record<ScopeKind, string> = { network: 'Network', shg: 'SHG', bank: 'Bank', loan: 'Loan', 'credit-line': 'Credit line' };

/** The answer for an object outside the caller's scope: exactly the one for an object that does not exist. */
export const notInScope = (target: ScopeTarget) => new NotFoundError(LABEL[target.kind], target.id);

const granted = (type: 'network' | 'shg' | 'bank', id: string) =>
  `EXISTS (SELECT 1 FROM access_grants WHERE user_id = $1 AND object_type = '${type}' AND object_id = ${id} AND granted)`;

/** A bank officer reads the dashboard or statement of whoever borrows on a line of a bank they are granted. */
const borrowsFromGrantedBank = (type: 'network' | 'shg') =>
  `EXISTS (SELECT 1 FROM access_credit_lines l WHERE l.borrower_type = '${type}' AND l.borrower_id = $2 AND ${granted('bank', 'l.bank_id')})`;

const SCOPE_SQL = {
  network: `SELECT ${granted('network', '$2')} OR ${borrowsFromGrantedBank('network')} AS ok`,
  shg: `SELECT ${granted('shg', '$2')}
     OR EXISTS (SELECT 1 FROM access_memberships m WHERE m.shg_id = $2 AND m.is_member AND ${granted('network', 'm.network_id')})
     OR ${borrowsFromGrantedBank('shg')} AS ok`,
  bank: `SELECT ${granted('bank', '$2')} AS ok`,
};

const APPLY_SQL: Record<AccessFact['kind'], string> = {
  grant: `INSERT INTO access_grants (object_type, object_id, user_id, granted, as_of_version) VALUES ($1, $2, $3, $4, $5)
    ON CONFLICT (user_id, object_type, object_id) DO UPDATE SET granted = excluded.granted, as_of_version = excluded.as_of_version
    WHERE access_grants.as_of_version < excluded.as_of_version`,
  membership: `INSERT INTO access_memberships (network_id, shg_id, is_member, as_of_version) VALUES ($1, $2, $3, $4)
    ON CONFLICT (network_id, shg_id) DO UPDATE SET is_member = excluded.is_member, as_of_version = excluded.as_of_version
    WHERE access_memberships.as_of_version < excluded.as_of_version`,
  'credit-line': `INSERT INTO access_credit_lines (credit_line_id, bank_id, borrower_type, borrower_id) VALUES ($1, $2, $3, $4)
    ON CONFLICT (credit_line_id) DO NOTHING`,
};

const parameters = (fact: AccessFact): unknown[] => {
  switch (fact.kind) {
    case 'grant':
      return [fact.objectType, fact.objectId, fact.userId, fact.granted, fact.version];
    case 'membership':
      return [fact.networkId, fact.shgId, fact.isMember, fact.version];
    case 'credit-line':
      return [fact.creditLineId, fact.bankId, fact.borrowerType, fact.borrowerId];
  }
};

/**
 * For lists: a SQL condition that holds for the objects of this kind (named by `column`) in the
 * caller's scope. The query passes the caller's user id as $1.
 */
export function inScopeCondition(caller: Caller, kind: 'network' | 'shg' | 'bank', column: string): string {
  if (seesEverything(caller)) return '($1::text IS NOT NULL)';
  const id = `${column}::text`;
  if (kind !== 'shg') return granted(kind, id);
  return `(${granted('shg', id)} OR EXISTS (SELECT 1 FROM access_memberships m WHERE m.shg_id = ${id} AND m.is_member AND ${granted('network', 'm.network_id')}))`;
}

/** A service's own grants and memberships, kept in the transaction that appends them. */
export const accessFactsProjection: InlineProjection = {
  appliesTo: (event) => accessFactOf(event as EventEnvelope) !== null,
  apply: (manager, events) => applyAccessFacts(manager, events),
};

/** Applies the access facts among these events (the rest change nothing), in the caller's transaction. */
export async function applyAccessFacts(manager: EntityManager, envelopes: readonly EventEnvelope[]): Promise<void> {
  for (const envelope of envelopes) {
    const fact = accessFactOf(envelope);
    if (fact) await manager.query(APPLY_SQL[fact.kind], parameters(fact));
  }
}

/** Answers whether an object is in a caller's scope, from this service's own view of grants. */
@Injectable()
export class AccessView {
  constructor(
    private readonly dataSource: DataSource,
    @Optional() @Inject(SCOPE_TIES) private readonly ties: ScopeTies | null,
  ) {}

  /** Throws not_found for the first target outside the caller's scope. */
  async requireInScope(caller: Caller, targets: readonly ScopeTarget[]): Promise<void> {
    for (const target of targets) {
      // Not echoed: a malformed path id (a NUL, 1000 characters) is answered like an unknown route.
      if (target.from === 'path' && !isUUID(target.id)) throw noSuchResource();
      if (target.from === 'body' && !isUUID(target.id)) continue;
      if (!(await this.inScope(caller, target))) throw notInScope(target);
    }
  }

  async inScope(caller: Caller, target: ScopeTarget): Promise<boolean> {
    if (target.kind === 'loan' || target.kind === 'credit-line') {
      if (!this.ties) throw new Error(`this service cannot tell the parties of a ${target.kind}`);
      const parties = await this.ties.partiesOf(target.kind, target.id);
      if (parties === null) return false;
      if (seesEverything(caller)) return true;
      for (const party of parties) if (await this.inScope(caller, party)) return true;
      return false;
    }
    if (seesEverything(caller)) return true;
    const [row] = await queryPrepared<{ ok: boolean }[]>(this.dataSource, SCOPE_SQL[target.kind], [caller.userId, target.id]);
    return row.ok === true;
  }
}
