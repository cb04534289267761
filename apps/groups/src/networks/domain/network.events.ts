export type {
  NetworkStreamEvent as NetworkEvent,
  NetworkFormedData,
  ShgJoinedNetworkData,
  ShgExitedNetworkData,
  AnnualFeeAssessedData,
  AnnualFeePaidData,
  FundContributedData,
} from '@sangam/contracts';

export const NETWORK_STREAM_TYPE = 'network';
