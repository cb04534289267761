import { fold } from '@sangam/domain';
import { deciderSpec } from '@sangam/testing';
import { bankDecider, type RegisteredBank } from './bank.decider';
import { BANK_STREAM_TYPE, type BankEvent } from './bank.events';

const bankId = '7d1c7a58-5f0e-4c4e-9a39-0c3d3f1e0a11';
const spec = deciderSpec(bankDecider);
const registered: BankEvent = {
  type: 'BankRegistered',
  data: { bankId, name: 'State Bank of India', branch: 'Kudal', maxSavingsMultiple: 4, registeredAt: '2005-06-01T09:00:00.000Z' },
};

describe('bank decider', () => {
  it('registers a bank with its savings multiple', () => {
    spec.given([]).when({ type: 'RegisterBank', data: registered.data }).then([registered]);
  });

  it('refuses to register the same bank twice', () => {
    spec.given([registered]).when({ type: 'RegisterBank', data: registered.data }).thenThrows('conflict');
  });

  it('rotates the webhook secret keeping the previous one valid for 24 hours', () => {
    spec
      .given([registered])
      .when({ type: 'RotateWebhookSecret', data: { bankId, rotatedAt: '2005-06-02T10:30:00.000Z' } })
      .then([
        {
          type: 'WebhookSecretRotated',
          data: { bankId, rotatedAt: '2005-06-02T10:30:00.000Z', previousValidUntil: '2005-06-03T10:30:00.000Z' },
        },
      ]);
  });

  it('answers not_found when rotating the secret of an unknown bank', () => {
    spec
      .given([])
      .when({ type: 'RotateWebhookSecret', data: { bankId, rotatedAt: '2005-06-02T10:30:00.000Z' } })
      .thenThrows('not_found');
  });

  it('answers not_found for the id of another kind of stream (a credit line named in /banks/:id), instead of failing on its events', () => {
    const creditLineEvent = { type: 'CreditLineSanctioned', data: { creditLineId: bankId } } as unknown as BankEvent;
    spec
      .given([creditLineEvent])
      .when({ type: 'RotateWebhookSecret', data: { bankId, rotatedAt: '2005-06-02T10:30:00.000Z' } })
      .thenThrows('not_found');
  });
});

describe('access to a bank', () => {
  const grant = (userId: string) => ({ objectType: 'bank' as const, objectId: bankId, userId });
  const granted = (userId: string): BankEvent => ({ type: 'AccessGranted', data: grant(userId) });

  it('grants a user the bank, and revokes the grant', () => {
    spec
      .given([registered])
      .when({ type: 'GrantAccess', data: { bankId, userId: 'officer-1' } })
      .then([granted('officer-1')]);
    spec
      .given([registered, granted('officer-1')])
      .when({ type: 'RevokeAccess', data: { bankId, userId: 'officer-1' } })
      .then([{ type: 'AccessRevoked', data: grant('officer-1') }]);
  });

  it('answers not_found for granting an unknown bank', () => {
    spec
      .given([])
      .when({ type: 'GrantAccess', data: { bankId, userId: 'officer-1' } })
      .thenThrows('not_found');
  });

  it('keeps whom the bank is granted to, no one at registration', () => {
    const grantees = (events: BankEvent[]) => (fold(bankDecider.evolve, bankDecider.initialState(), events) as RegisteredBank).grantees;
    expect(grantees([registered])).toEqual([]);
    expect(grantees([registered, granted('officer-1'), granted('officer-2')])).toEqual(['officer-1', 'officer-2']);
  });
});

it('keeps its events in streams of type "bank", the type stored with each of them (another name would part old streams from new)', () => {
  expect(BANK_STREAM_TYPE).toBe('bank');
});
