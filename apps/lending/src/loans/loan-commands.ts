import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { fold } from '@sangam/domain';
import { PostgresEventStore, withConflictRetries, type EventMetadata, type StoredEvent } from '@sangam/event-store';
import { changeFunds, fundChangesOf } from '../lenders/projections/lender-funds';
import { loanDecider, type LoanCommand, type LoanState } from './domain/loan.decider';
import { LOAN_STREAM_TYPE, type LoanEvent } from './domain/loan.events';

/** Builds the command from the loan's current state, reading lending's views in the same transaction. */
export type CommandBuilder = (state: LoanState, manager: EntityManager) => LoanCommand | Promise<LoanCommand>;

export interface Decided {
  events: StoredEvent[];
  state: LoanState;
}

export async function readLoan(store: PostgresEventStore, loanId: string, manager?: EntityManager): Promise<{ state: LoanState; version: number }> {
  const history = await store.readStream(loanId, manager);
  return {
    state: fold(loanDecider.evolve, loanDecider.initialState(), history as unknown as LoanEvent[]),
    version: history.at(-1)?.streamVersion ?? 0,
  };
}

/**
 * One decision on a loan inside the caller's transaction: its events, and the fund movements they
 * cause, commit together (with a consumer's checkpoint when a consumer calls this).
 */
export async function decideOnLoan(
  store: PostgresEventStore,
  manager: EntityManager,
  loanId: string,
  build: CommandBuilder,
  metadata: EventMetadata,
): Promise<Decided> {
  const { state, version } = await readLoan(store, loanId, manager);
  const newEvents = loanDecider.decide(await build(state, manager), state);
  if (newEvents.length === 0) return { events: [], state };
  // Fund rows are locked before the store's position lock, the same order as every other writer: no deadlock.
  await changeFunds(manager, fundChangesOf(newEvents));
  const { events } = await store.appendInTransaction(
    manager,
    { streamId: loanId, streamType: LOAN_STREAM_TYPE, expectedVersion: version, events: newEvents },
    metadata,
  );
  return { events, state: fold(loanDecider.evolve, state, newEvents) };
}

@Injectable()
export class LoanCommands {
  constructor(
    private readonly dataSource: DataSource,
    private readonly store: PostgresEventStore,
  ) {}

  async run(loanId: string, build: CommandBuilder, metadata: EventMetadata): Promise<Decided> {
    const decided = await withConflictRetries(() =>
      this.dataSource.transaction((manager) => decideOnLoan(this.store, manager, loanId, build, metadata)),
    );
    // The store announces its own commits; this one committed here, so the relay is woken the same way.
    if (decided.events.length > 0) this.store.notifications.emit('appended', decided.events.length);
    return decided;
  }

  async read(loanId: string): Promise<LoanState> {
    return (await readLoan(this.store, loanId)).state;
  }
}
