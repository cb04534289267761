import { handleCommand, loadStream, type EventMetadata, type PostgresEventStore } from '@sangam/event-store';
import { CONFLICT_RETRIES } from '../shared/conflict-retries';
import { onStream } from '../shared/cross-stream-command';
import { networkDecider, requireNetwork, type FormedNetwork, type NetworkCommand } from './domain/network.decider';
import { NETWORK_STREAM_TYPE } from './domain/network.events';

export const networkStream = (networkId: string) => ({ streamId: networkId, streamType: NETWORK_STREAM_TYPE });

export const executeNetworkCommand = (store: PostgresEventStore, command: NetworkCommand, metadata: EventMetadata) =>
  handleCommand(store, networkStream(command.networkId), networkDecider, command, metadata, CONFLICT_RETRIES);

export const onNetworkStream = (command: NetworkCommand) => onStream(networkStream(command.networkId), networkDecider, command);

export async function loadNetwork(store: PostgresEventStore, networkId: string): Promise<FormedNetwork> {
  const { state } = await loadStream(store, networkId, networkDecider);
  return requireNetwork(state, networkId);
}
