import { assertNever, decideGrant, DomainError, evolveGrantees, NotFoundError, ruleBroken, type Decider, type GrantCommand } from '@sangam/domain';
import type { NetworkEvent } from './network.events';

export interface Fee {
  assessed: number;
  paid: number;
}

export type NetworkState =
  | { status: 'unformed' }
  | {
      status: 'formed';
      id: string;
      name: string;
      cluster: string;
      formedOn: string;
      annualFee: number;
      /** Current members, in the order they joined. */
      memberShgIds: string[];
      /** year -> shgId -> fee; kept after an SHG exits, because its fees stay owed. */
      fees: Record<number, Record<string, Fee>>;
      feesPaid: bigint;
      contributions: bigint;
      /** Users granted this network (and so its member SHGs). */
      grantees: string[];
    };

export type FormedNetwork = Extract<NetworkState, { status: 'formed' }>;

export type NetworkCommand =
  | { type: 'FormNetwork'; networkId: string; name: string; cluster: string; formedOn: string; annualFee: number }
  | { type: 'AdmitShg'; networkId: string; shgId: string; joinedOn: string }
  | { type: 'RecordShgExit'; networkId: string; shgId: string; exitedOn: string }
  | { type: 'AssessAnnualFees'; networkId: string; year: number; assessedOn: string }
  | { type: 'PayAnnualFee'; networkId: string; paymentId: string; shgId: string; year: number; amount: number; paidOn: string }
  | { type: 'ReceiveContribution'; networkId: string; contributionId: string; shgId: string; amount: number; contributedOn: string }
  | (GrantCommand & { networkId: string });

export const initialNetworkState = (): NetworkState => ({ status: 'unformed' });

export function requireNetwork(state: NetworkState, networkId: string): FormedNetwork {
  if (state.status !== 'formed') throw new NotFoundError('Network', networkId);
  return state;
}

/** What the network's common fund holds as groups knows it; loans out of it are lending's facts. */
export const commonFund = (network: FormedNetwork): bigint => network.feesPaid + network.contributions;

function requireMember(network: FormedNetwork, shgId: string): void {
  if (!network.memberShgIds.includes(shgId)) throw ruleBroken('not_a_member', `SHG ${shgId} is not a member of network ${network.id}`);
}

export function decideNetwork(command: NetworkCommand, state: NetworkState): NetworkEvent[] {
  if (command.type === 'FormNetwork') {
    if (state.status === 'formed') throw new DomainError('conflict', `Network ${command.networkId} already exists`, 'conflict');
    const { networkId, name, cluster, formedOn, annualFee } = command;
    return [{ type: 'NetworkFormed', data: { networkId, name, cluster, formedOn, annualFee } }];
  }
  const network = requireNetwork(state, command.networkId);
  switch (command.type) {
    case 'AdmitShg': {
      if (network.memberShgIds.includes(command.shgId)) {
        throw ruleBroken('already_in_network', `SHG ${command.shgId} is already a member of network ${network.id}`);
      }
      const { networkId, shgId, joinedOn } = command;
      return [{ type: 'ShgJoinedNetwork', data: { networkId, shgId, joinedOn } }];
    }
    case 'RecordShgExit': {
      requireMember(network, command.shgId);
      const { networkId, shgId, exitedOn } = command;
      return [{ type: 'ShgExitedNetwork', data: { networkId, shgId, exitedOn } }];
    }
    case 'AssessAnnualFees': {
      const { networkId, year, assessedOn } = command;
      const assessed = network.fees[year] ?? {};
      return network.memberShgIds
        .filter((shgId) => !(shgId in assessed))
        .map((shgId): NetworkEvent => ({ type: 'AnnualFeeAssessed', data: { networkId, shgId, year, amount: network.annualFee, assessedOn } }));
    }
    case 'PayAnnualFee': {
      const fee = network.fees[command.year]?.[command.shgId];
      if (!fee) throw ruleBroken('fee_not_assessed', `No ${command.year} fee was assessed for SHG ${command.shgId}`);
      const outstanding = fee.assessed - fee.paid;
      if (command.amount > outstanding) {
        throw ruleBroken('fee_overpayment', `The ${command.year} fee of SHG ${command.shgId} has ${outstanding} paise outstanding`);
      }
      const { networkId, shgId, paymentId, year, amount, paidOn } = command;
      return [{ type: 'AnnualFeePaid', data: { networkId, shgId, paymentId, year, amount, paidOn } }];
    }
    case 'ReceiveContribution': {
      requireMember(network, command.shgId);
      const { networkId, shgId, contributionId, amount, contributedOn } = command;
      return [{ type: 'FundContributed', data: { networkId, shgId, contributionId, amount, contributedOn } }];
    }
    case 'GrantAccess':
    case 'RevokeAccess':
      return decideGrant({ type: 'network', id: network.id }, network.grantees, command);
    default:
      return assertNever(command);
  }
}

const withFee = (network: FormedNetwork, year: number, shgId: string, change: (fee: Fee | undefined) => Fee): FormedNetwork => ({
  ...network,
  fees: { ...network.fees, [year]: { ...network.fees[year], [shgId]: change(network.fees[year]?.[shgId]) } },
});

export function evolveNetwork(state: NetworkState, event: NetworkEvent): NetworkState {
  if (event.type === 'NetworkFormed') {
    const { networkId, name, cluster, formedOn, annualFee } = event.data;
    return { status: 'formed', id: networkId, name, cluster, formedOn, annualFee, memberShgIds: [], fees: {}, feesPaid: 0n, contributions: 0n, grantees: [] };
  }
  if (state.status !== 'formed') return state;
  switch (event.type) {
    case 'ShgJoinedNetwork':
      return { ...state, memberShgIds: [...state.memberShgIds, event.data.shgId] };
    case 'ShgExitedNetwork':
      return { ...state, memberShgIds: state.memberShgIds.filter((id) => id !== event.data.shgId) };
    case 'AnnualFeeAssessed':
      return withFee(state, event.data.year, event.data.shgId, () => ({ assessed: event.data.amount, paid: 0 }));
    case 'AnnualFeePaid': {
      const { year, shgId, amount } = event.data;
      const paid = withFee(state, year, shgId, (fee) => ({ assessed: fee?.assessed ?? 0, paid: (fee?.paid ?? 0) + amount }));
      return { ...paid, feesPaid: state.feesPaid + BigInt(amount) };
    }
    case 'FundContributed':
      return { ...state, contributions: state.contributions + BigInt(event.data.amount) };
    case 'AccessGranted':
    case 'AccessRevoked':
      return { ...state, grantees: evolveGrantees(state.grantees, event) };
    default:
      return assertNever(event);
  }
}

export const networkDecider: Decider<NetworkCommand, NetworkEvent, NetworkState> = {
  initialState: initialNetworkState,
  evolve: evolveNetwork,
  decide: decideNetwork,
};
