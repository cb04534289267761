import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { decideInTransaction, loadStream, PostgresEventStore, withConflictRetries, type EventMetadata, type StoredEvent } from '@sangam/event-store';
import { changeFunds, fundChangesOf } from '../lenders/projections/lender-funds';
import { loanDecider, type LoanCommand, type LoanState } from './domain/loan.decider';
import { LOAN_STREAM_TYPE } from './domain/loan.events';

/** Builds the command from the loan's current state, reading lending's views in the same transaction. */
export type CommandBuilder = (state: LoanState, manager: EntityManager) => LoanCommand | Promise<LoanCommand>;

export interface Decided {
  events: StoredEvent[];
  state: LoanState;
}

/**
 * One decision on a loan inside the caller's transaction: its events, and the fund movements they
 * cause, commit together (with a consumer's checkpoint when a consumer calls this).
 */
export function decideOnLoan(
  store: PostgresEventStore,
  manager: EntityManager,
  loanId: string,
  build: CommandBuilder,
  metadata: EventMetadata,
): Promise<Decided> {
  return decideInTransaction(
    store,
    manager,
    { streamId: loanId, streamType: LOAN_STREAM_TYPE },
    loanDecider,
    (state) => build(state, manager),
    metadata,
    // Fund rows are locked before the store's position lock, the same order as every other writer: no deadlock.
    (events) => changeFunds(manager, fundChangesOf(events)),
  );
}

@Injectable()
export class LoanCommands {
  constructor(private readonly store: PostgresEventStore) {}

  run(loanId: string, build: CommandBuilder, metadata: EventMetadata): Promise<Decided> {
    return withConflictRetries(() => this.store.transaction((manager) => decideOnLoan(this.store, manager, loanId, build, metadata)));
  }

  async read(loanId: string): Promise<LoanState> {
    return (await loadStream(this.store, loanId, loanDecider)).state;
  }
}
