export type {
  MemberRole,
  ShgStreamEvent as ShgEvent,
  ShgFormedData,
  MemberEnrolledData,
  SavingsDepositedData,
  SavingsWithdrawnData,
  SavingsPooledData,
  NetworkMembershipRecordedData,
  NetworkExitRecordedData,
} from '@sangam/contracts';

export const SHG_STREAM_TYPE = 'shg';
