import { Injectable } from '@nestjs/common';
import { CommandHandler, PostgresEventStore } from '@sangam/event-store';
import { networkDecider, type NetworkCommand, type NetworkState } from './domain/network.decider';
import { NETWORK_STREAM_TYPE, type NetworkEvent } from './domain/network.events';

/** The command path of a network. */
@Injectable()
export class NetworkCommandHandler extends CommandHandler<NetworkState, NetworkCommand, NetworkEvent> {
  constructor(store: PostgresEventStore) {
    super(store, { decider: networkDecider, streamType: NETWORK_STREAM_TYPE });
  }
}
