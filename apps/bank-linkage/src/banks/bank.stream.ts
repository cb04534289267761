import { loadStream, type PostgresEventStore } from '@sangam/event-store';
import { bankDecider, requireBank, type RegisteredBank } from './domain/bank.decider';
import { BANK_STREAM_TYPE } from './domain/bank.events';

export const bankStream = (bankId: string) => ({ streamId: bankId, streamType: BANK_STREAM_TYPE });

export async function loadBank(store: PostgresEventStore, bankId: string): Promise<RegisteredBank> {
  const { state } = await loadStream(store, bankId, bankDecider);
  return requireBank(state, bankId);
}
