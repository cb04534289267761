import type { EventEnvelope } from '@sangam/messaging';
import { fundChangesFromGroups } from './groups-view.projection';

const envelope = (type: string, data: object): EventEnvelope => ({
  eventId: 'e-1',
  type,
  streamId: 's-1',
  streamVersion: 1,
  occurredAt: '',
  recordedAt: '',
  correlationId: 'c',
  causationId: null,
  actor: { service: 'groups' },
  schemaVersion: 1,
  data,
});

describe('fundChangesFromGroups', () => {
  it("keeps no view of an SHG's savings: groups owns them and lends them when lending asks", () => {
    expect(
      fundChangesFromGroups(envelope('SavingsDeposited', { shgId: 'shg-1', memberId: 'm', amount: 500, depositedOn: '2025-01-01' })),
    ).toEqual([]);
    expect(
      fundChangesFromGroups(envelope('SavingsWithdrawn', { shgId: 'shg-1', memberId: 'm', amount: 200, withdrawnOn: '2025-01-01' })),
    ).toEqual([]);
    expect(
      fundChangesFromGroups(
        envelope('SavingsPooled', { shgId: 'shg-1', networkId: 'n-1', contributionId: 'c-1', amount: 700, pooledOn: '2025-01-01' }),
      ),
    ).toEqual([]);
  });

  it("puts the contribution pooled from an SHG into the network's common fund", () => {
    expect(
      fundChangesFromGroups(
        envelope('FundContributed', { networkId: 'n-1', shgId: 'shg-1', contributionId: 'c-1', amount: 700, contributedOn: '2025-01-01' }),
      ),
    ).toEqual([{ type: 'network', id: 'n-1', raised: 700n }]);
  });

  it('puts paid annual fees into the common fund', () => {
    expect(
      fundChangesFromGroups(
        envelope('AnnualFeePaid', { networkId: 'n-1', shgId: 'shg-1', year: 2025, amount: 30000, paidOn: '2025-01-01' }),
      ),
    ).toEqual([{ type: 'network', id: 'n-1', raised: 30000n }]);
  });

  it('ignores events that move no lendable money', () => {
    expect(fundChangesFromGroups(envelope('AnnualFeeAssessed', { networkId: 'n-1', shgId: 'shg-1', year: 2025, amount: 30000 }))).toEqual(
      [],
    );
    expect(
      fundChangesFromGroups(envelope('NetworkMembershipRecorded', { shgId: 'shg-1', networkId: 'n-1', joinedOn: '2025-01-01' })),
    ).toEqual([]);
    expect(fundChangesFromGroups(envelope('SomethingNew', {}))).toEqual([]);
  });

  it('refuses a known event without a valid amount, so that it is dead-lettered rather than misread', () => {
    expect(() => fundChangesFromGroups(envelope('AnnualFeePaid', { networkId: 'n-1', amount: '500' }))).toThrow(/amount/);
  });
});
