import type { Upcaster } from '@sangam/domain';

/**
 * The history of stored loan events, read in today's shape by the event store. Kept apart from the
 * published history (libs/contracts' lendingUpcasters): a stored event may change without a
 * published one changing, and the other way round.
 */
export const LOAN_UPCASTERS: readonly Upcaster[] = [
  // v2 names who is asked for the money; v1 requests, from before SHG savings were lent through groups, all drew a credit line.
  { type: 'LoanDisbursementRequested', from: 1, upcast: (data) => ({ ...data, fundingSource: data.fundingSource ?? 'credit-line' }) },
];
