import { handleCommand, loadStream, type EventMetadata, type PostgresEventStore } from '@sangam/event-store';
import { CONFLICT_RETRIES } from '../shared/conflict-retries';
import { onStream } from '../shared/cross-stream-command';
import { requireShg, shgDecider, type FormedShg, type ShgCommand } from './domain/shg.decider';
import { SHG_STREAM_TYPE } from './domain/shg.events';

export const shgStream = (shgId: string) => ({ streamId: shgId, streamType: SHG_STREAM_TYPE });

export const executeShgCommand = (store: PostgresEventStore, command: ShgCommand, metadata: EventMetadata) =>
  handleCommand(store, shgStream(command.shgId), shgDecider, command, metadata, CONFLICT_RETRIES);

export const onShgStream = (command: ShgCommand) => onStream(shgStream(command.shgId), shgDecider, command);

export async function loadShg(store: PostgresEventStore, shgId: string): Promise<FormedShg> {
  const { state } = await loadStream(store, shgId, shgDecider);
  return requireShg(state, shgId);
}
