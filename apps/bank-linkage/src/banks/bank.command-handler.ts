import { Injectable } from '@nestjs/common';
import { CommandHandler, PostgresEventStore } from '@sangam/event-store';
import { bankDecider, type BankCommand, type BankState } from './domain/bank.decider';
import { BANK_STREAM_TYPE, type BankEvent } from './domain/bank.events';

/** The command path of a bank (its webhook secret is written beside its events by the slices that change it). */
@Injectable()
export class BankCommandHandler extends CommandHandler<BankState, BankCommand, BankEvent> {
  constructor(store: PostgresEventStore) {
    super(store, { decider: bankDecider, streamType: BANK_STREAM_TYPE });
  }
}
