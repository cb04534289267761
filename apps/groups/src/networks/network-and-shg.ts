import { CommandHandler, type IssuedCommand, type UnitOfWork } from '@sangam/event-store';
import type { ShgCommand } from '../shgs/domain/shg.decider';
import type { ShgCommandHandler } from '../shgs/shg.command-handler';
import type { NetworkCommand } from './domain/network.decider';
import type { NetworkCommandHandler } from './network.command-handler';

/**
 * A fact a network and one of its SHGs both record (a membership, an exit, a contribution): each
 * decides on its own state and both append in the request's transaction, or neither does.
 */
export const recordOnNetworkAndShg = (
  streams: { networks: NetworkCommandHandler; shgs: ShgCommandHandler },
  unit: UnitOfWork,
  network: IssuedCommand<NetworkCommand>,
  shg: IssuedCommand<ShgCommand>,
) =>
  CommandHandler.handleAcrossStreams(unit, [
    { handler: streams.networks, streamId: network.data.networkId, command: network },
    { handler: streams.shgs, streamId: shg.data.shgId, command: shg },
  ]);
