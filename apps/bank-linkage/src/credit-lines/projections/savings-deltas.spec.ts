import type { GroupsEvent } from '@sangam/contracts';
import type { ConsumedEvent } from '@sangam/messaging';
import { netDeltas, savingsDelta } from './savings-deltas';

const networkId = '2c9e4b1a-7f3d-4e5c-8a9b-0c1d2e3f4a5b';
const shgId = '3d4e5f6a-7b8c-4d9e-8f0a-1b2c3d4e5f6a';
const id = '4e5f6a7b-8c9d-4e0f-9a1b-2c3d4e5f6a7b';

describe('drawing power from groups events', () => {
  it.each<[string, GroupsEvent, ReturnType<typeof savingsDelta>]>([
    [
      'a formed network is known with nothing',
      { type: 'NetworkFormed', data: { networkId, name: 'Sindhudurg', cluster: 'Kudal', formedOn: '2005-04-01', annualFee: 30000 } },
      { type: 'network', id: networkId, change: 0n },
    ],
    [
      'a paid fee raises the common fund',
      { type: 'AnnualFeePaid', data: { networkId, shgId, paymentId: id, year: 2005, amount: 30000, paidOn: '2005-05-01' } },
      { type: 'network', id: networkId, change: 30000n },
    ],
    [
      'a contribution raises the common fund',
      { type: 'FundContributed', data: { networkId, shgId, contributionId: id, amount: 70000, contributedOn: '2005-05-01' } },
      { type: 'network', id: networkId, change: 70000n },
    ],
    [
      'a formed SHG is known with nothing',
      { type: 'ShgFormed', data: { shgId, name: 'Savitri', village: 'Pinguli', formedOn: '2005-01-10' } },
      { type: 'shg', id: shgId, change: 0n },
    ],
    [
      'a deposit raises SHG savings',
      { type: 'SavingsDeposited', data: { shgId, memberId: id, depositId: id, amount: 5000, depositedOn: '2005-02-01' } },
      { type: 'shg', id: shgId, change: 5000n },
    ],
    [
      'a withdrawal lowers SHG savings',
      { type: 'SavingsWithdrawn', data: { shgId, memberId: id, withdrawalId: id, amount: 2000, withdrawnOn: '2005-03-01' } },
      { type: 'shg', id: shgId, change: -2000n },
    ],
    [
      'pooling lowers SHG free savings',
      { type: 'SavingsPooled', data: { shgId, networkId, contributionId: id, amount: 70000, pooledOn: '2005-05-01' } },
      { type: 'shg', id: shgId, change: -70000n },
    ],
    [
      'an assessment changes nothing',
      { type: 'AnnualFeeAssessed', data: { networkId, shgId, year: 2005, amount: 30000, assessedOn: '2005-04-15' } },
      null,
    ],
  ])('%s', (_, event, expected) => {
    expect(savingsDelta(event)).toEqual(expected);
  });

  it('adds up a batch per borrower, one change each, and leaves out events that change nothing', () => {
    const otherShgId = '5f6a7b8c-9d0e-4f1a-8b2c-3d4e5f6a7b8c';
    const consumed = (offset: number, event: GroupsEvent): ConsumedEvent => ({
      topic: 'groups',
      partition: 0,
      offset: String(offset),
      envelope: event as never,
    });
    const deposit = (shg: string, amount: number): GroupsEvent => ({
      type: 'SavingsDeposited',
      data: { shgId: shg, memberId: id, depositId: id, amount, depositedOn: '2005-02-01' },
    });
    expect(
      netDeltas([
        consumed(1, deposit(shgId, 5000)),
        consumed(2, { type: 'AnnualFeePaid', data: { networkId, shgId, paymentId: id, year: 2005, amount: 30000, paidOn: '2005-05-01' } }),
        consumed(3, deposit(otherShgId, 700)),
        consumed(4, { type: 'SavingsWithdrawn', data: { shgId, memberId: id, withdrawalId: id, amount: 2000, withdrawnOn: '2005-03-01' } }),
        consumed(5, { type: 'AnnualFeeAssessed', data: { networkId, shgId, year: 2005, amount: 30000, assessedOn: '2005-04-15' } }),
      ]),
    ).toEqual([
      { type: 'shg', id: shgId, change: 3000n },
      { type: 'network', id: networkId, change: 30000n },
      { type: 'shg', id: otherShgId, change: 700n },
    ]);
    expect(
      netDeltas([
        consumed(6, { type: 'AnnualFeeAssessed', data: { networkId, shgId, year: 2005, amount: 30000, assessedOn: '2005-04-15' } }),
      ]),
    ).toEqual([]);
  });

  it('refuses an amount that is not an integer of paise', () => {
    const event = {
      type: 'SavingsDeposited',
      data: { shgId, memberId: id, depositId: id, amount: 10.5, depositedOn: '2005-02-01' },
    } as GroupsEvent;
    expect(() => savingsDelta(event)).toThrow(RangeError);
  });
});
