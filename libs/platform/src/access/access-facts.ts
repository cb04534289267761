import type { EventEnvelope } from '@sangam/messaging';

/** What a published event changes in who may see what: pure, so that it can be tested without a database. */
export type AccessFact =
  | { kind: 'grant'; objectType: string; objectId: string; userId: string; granted: boolean; version: number }
  | { kind: 'membership'; networkId: string; shgId: string; isMember: boolean; version: number }
  | { kind: 'credit-line'; creditLineId: string; bankId: string; borrowerType: string; borrowerId: string };

const str = (data: Record<string, unknown>, field: string): string => {
  const value = data[field];
  if (typeof value !== 'string') throw new Error(`${field} is missing`);
  return value;
};

/**
 * Grants and memberships carry their stream's version: a later event of the stream wins, so a
 * re-driven old grant cannot undo a newer revocation.
 */
export function accessFactOf(envelope: EventEnvelope): AccessFact | null {
  const data = envelope.data as Record<string, unknown>;
  const version = envelope.streamVersion;
  switch (envelope.type) {
    case 'AccessGranted':
    case 'AccessRevoked':
      return {
        kind: 'grant',
        objectType: str(data, 'objectType'),
        objectId: str(data, 'objectId'),
        userId: str(data, 'userId'),
        granted: envelope.type === 'AccessGranted',
        version,
      };
    case 'ShgJoinedNetwork':
    case 'ShgExitedNetwork':
      return {
        kind: 'membership',
        networkId: str(data, 'networkId'),
        shgId: str(data, 'shgId'),
        isMember: envelope.type === 'ShgJoinedNetwork',
        version,
      };
    case 'CreditLineSanctioned': {
      const borrower = data.borrower as Record<string, unknown>;
      return {
        kind: 'credit-line',
        creditLineId: str(data, 'creditLineId'),
        bankId: str(data, 'bankId'),
        borrowerType: str(borrower, 'type'),
        borrowerId: str(borrower, 'id'),
      };
    }
    default:
      return null;
  }
}
