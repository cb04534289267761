import { handleCommand, loadStream, type EventMetadata, type PostgresEventStore } from '@sangam/event-store';
import { creditLineDecider, requireLine, type CreditLineCommand, type SanctionedLine } from './domain/credit-line.decider';
import { CREDIT_LINE_STREAM_TYPE } from './domain/credit-line.events';

export const creditLineStream = (creditLineId: string) => ({ streamId: creditLineId, streamType: CREDIT_LINE_STREAM_TYPE });

export const executeCreditLineCommand = (store: PostgresEventStore, command: CreditLineCommand, metadata: EventMetadata) =>
  handleCommand(store, creditLineStream(command.creditLineId), creditLineDecider, command, metadata);

export async function loadCreditLine(store: PostgresEventStore, creditLineId: string): Promise<SanctionedLine> {
  const { state } = await loadStream(store, creditLineId, creditLineDecider);
  return requireLine(state, creditLineId);
}
