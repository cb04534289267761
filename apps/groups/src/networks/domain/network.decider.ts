import {
  amountTooLarge,
  assertNever,
  dateOutOfOrder,
  decideGrant,
  DomainError,
  evolveGrantees,
  NotFoundError,
  requireNotBefore,
  ruleBroken,
  type Decider,
  type GrantCommand,
} from '@sangam/domain';
import { fitsExactly } from '@sangam/money';
import type { NetworkEvent } from './network.events';

export interface Fee {
  assessed: number;
  paid: number;
  /** A payment is not dated before the assessment it pays. */
  assessedOn: string;
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
      /** When each current member joined: nothing it does in the network is dated earlier. */
      joinedOn: Record<string, string>;
      /** year -> shgId -> fee; kept after an SHG exits, because its fees stay owed. */
      fees: Record<number, Record<string, Fee>>;
      feesPaid: bigint;
      contributions: bigint;
      /** Users granted this network (and so its member SHGs). */
      grantees: string[];
    };

export type FormedNetwork = Extract<NetworkState, { status: 'formed' }>;

export type NetworkCommand =
  | { type: 'FormNetwork'; data: { networkId: string; name: string; cluster: string; formedOn: string; annualFee: number } }
  | { type: 'AdmitShg'; data: { networkId: string; shgId: string; joinedOn: string } }
  | { type: 'RecordShgExit'; data: { networkId: string; shgId: string; exitedOn: string } }
  | { type: 'AssessAnnualFees'; data: { networkId: string; year: number; assessedOn: string } }
  | { type: 'PayAnnualFee'; data: { networkId: string; paymentId: string; shgId: string; year: number; amount: number; paidOn: string } }
  | {
      type: 'ReceiveContribution';
      data: { networkId: string; contributionId: string; shgId: string; amount: number; contributedOn: string };
    }
  | GrantCommand<{ networkId: string }>;

export const initialNetworkState = (): NetworkState => ({ status: 'unformed' });

export function requireNetwork(state: NetworkState, networkId: string): FormedNetwork {
  if (state.status !== 'formed') throw new NotFoundError('Network', networkId);
  return state;
}

/** What the network's common fund holds as groups knows it; loans out of it are lending's facts. */
export const commonFund = (network: FormedNetwork): bigint => network.feesPaid + network.contributions;

function requireMember(network: FormedNetwork, shgId: string): string {
  if (!network.memberShgIds.includes(shgId)) throw ruleBroken('not_a_member', `SHG ${shgId} is not a member of network ${network.id}`);
  return network.joinedOn[shgId];
}

const requireJoinedBy = (network: FormedNetwork, shgId: string, field: string, date: string): void =>
  requireNotBefore(field, date, requireMember(network, shgId), `SHG ${shgId} joined network ${network.id}`);

/** Fees paid and contributions: what GET /networks/:id states as commonFund, and every read model sums. */
function requireFundFits(network: FormedNetwork, amount: number): void {
  if (!fitsExactly(commonFund(network) + BigInt(amount))) throw amountTooLarge(`The common fund of network ${network.id} with this amount`);
}

function assess(
  network: FormedNetwork,
  { networkId, year, assessedOn }: Extract<NetworkCommand, { type: 'AssessAnnualFees' }>['data'],
): NetworkEvent[] {
  const formedIn = network.formedOn.slice(0, 4);
  if (String(year) < formedIn) throw dateOutOfOrder('year', String(year), formedIn, `network ${network.id} was formed`);
  requireNotBefore('assessedOn', assessedOn, network.formedOn, `network ${network.id} was formed`);
  const assessed = network.fees[year] ?? {};
  // An SHG is assessed once it is a member on the assessment date; one that joined later is assessed by a later call.
  const due = network.memberShgIds.filter((shgId) => !(shgId in assessed) && network.joinedOn[shgId] <= assessedOn);
  const yearTotal =
    Object.values(assessed).reduce((sum, fee) => sum + BigInt(fee.assessed), 0n) + BigInt(due.length) * BigInt(network.annualFee);
  if (!fitsExactly(yearTotal)) throw amountTooLarge(`The ${year} fees assessed by network ${network.id}`);
  return due.map((shgId): NetworkEvent => ({
    type: 'AnnualFeeAssessed',
    data: { networkId, shgId, year, amount: network.annualFee, assessedOn },
  }));
}

export function decideNetwork(command: NetworkCommand, state: NetworkState): NetworkEvent[] {
  if (command.type === 'FormNetwork') {
    if (state.status === 'formed') throw new DomainError('conflict', `Network ${command.data.networkId} already exists`, 'conflict');
    const { networkId, name, cluster, formedOn, annualFee } = command.data;
    return [{ type: 'NetworkFormed', data: { networkId, name, cluster, formedOn, annualFee } }];
  }
  const network = requireNetwork(state, command.data.networkId);
  switch (command.type) {
    case 'AdmitShg': {
      if (network.memberShgIds.includes(command.data.shgId)) {
        throw ruleBroken('already_in_network', `SHG ${command.data.shgId} is already a member of network ${network.id}`);
      }
      requireNotBefore('joinedOn', command.data.joinedOn, network.formedOn, `network ${network.id} was formed`);
      const { networkId, shgId, joinedOn } = command.data;
      return [{ type: 'ShgJoinedNetwork', data: { networkId, shgId, joinedOn } }];
    }
    case 'RecordShgExit': {
      requireJoinedBy(network, command.data.shgId, 'exitedOn', command.data.exitedOn);
      const { networkId, shgId, exitedOn } = command.data;
      return [{ type: 'ShgExitedNetwork', data: { networkId, shgId, exitedOn } }];
    }
    case 'AssessAnnualFees':
      return assess(network, command.data);
    case 'PayAnnualFee': {
      const fee = network.fees[command.data.year]?.[command.data.shgId];
      if (!fee) throw ruleBroken('fee_not_assessed', `No ${command.data.year} fee was assessed for SHG ${command.data.shgId}`);
      const outstanding = fee.assessed - fee.paid;
      if (command.data.amount > outstanding) {
        throw ruleBroken(
          'fee_overpayment',
          `The ${command.data.year} fee of SHG ${command.data.shgId} has ${outstanding} paise outstanding`,
        );
      }
      requireNotBefore(
        'paidOn',
        command.data.paidOn,
        fee.assessedOn,
        `the ${command.data.year} fee of SHG ${command.data.shgId} was assessed`,
      );
      requireFundFits(network, command.data.amount);
      const { networkId, shgId, paymentId, year, amount, paidOn } = command.data;
      return [{ type: 'AnnualFeePaid', data: { networkId, shgId, paymentId, year, amount, paidOn } }];
    }
    case 'ReceiveContribution': {
      requireJoinedBy(network, command.data.shgId, 'contributedOn', command.data.contributedOn);
      requireFundFits(network, command.data.amount);
      const { networkId, shgId, contributionId, amount, contributedOn } = command.data;
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
    return {
      status: 'formed',
      id: networkId,
      name,
      cluster,
      formedOn,
      annualFee,
      memberShgIds: [],
      joinedOn: {},
      fees: {},
      feesPaid: 0n,
      contributions: 0n,
      grantees: [],
    };
  }
  if (state.status !== 'formed') return state;
  switch (event.type) {
    case 'ShgJoinedNetwork':
      return {
        ...state,
        memberShgIds: [...state.memberShgIds, event.data.shgId],
        joinedOn: { ...state.joinedOn, [event.data.shgId]: event.data.joinedOn },
      };
    case 'ShgExitedNetwork': {
      const { [event.data.shgId]: _left, ...joinedOn } = state.joinedOn;
      return { ...state, memberShgIds: state.memberShgIds.filter((id) => id !== event.data.shgId), joinedOn };
    }
    case 'AnnualFeeAssessed':
      return withFee(state, event.data.year, event.data.shgId, () => ({
        assessed: event.data.amount,
        paid: 0,
        assessedOn: event.data.assessedOn,
      }));
    case 'AnnualFeePaid': {
      const { year, shgId, amount } = event.data;
      const paid = withFee(state, year, shgId, (fee) => ({
        assessed: fee?.assessed ?? 0,
        paid: (fee?.paid ?? 0) + amount,
        assessedOn: fee?.assessedOn ?? event.data.paidOn,
      }));
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

export const networkDecider: Decider<NetworkState, NetworkCommand, NetworkEvent> = {
  initialState: initialNetworkState,
  evolve: evolveNetwork,
  decide: decideNetwork,
};
