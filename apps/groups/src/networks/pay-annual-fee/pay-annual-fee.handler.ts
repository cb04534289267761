import type { IssuedCommand, UnitOfWork } from '@sangam/event-store';
import { requireShg } from '../../shgs/domain/shg.decider';
import type { ShgCommandHandler } from '../../shgs/shg.command-handler';
import type { NetworkCommand } from '../domain/network.decider';
import type { NetworkCommandHandler } from '../network.command-handler';

/** Pays an SHG's annual fee: the SHG must be one groups knows (not_found), the fee is the network's to decide on. */
export async function payAnnualFee(
  streams: { networks: NetworkCommandHandler; shgs: ShgCommandHandler },
  unit: UnitOfWork,
  command: IssuedCommand<Extract<NetworkCommand, { type: 'PayAnnualFee' }>>,
): Promise<void> {
  const { networkId, shgId } = command.data;
  requireShg((await streams.shgs.read(shgId, unit.manager)).state, shgId);
  await streams.networks.handle(unit, networkId, command);
}
