import { fold } from '@sangam/domain';
import { deciderSpec } from '@sangam/testing';
import { commonFund, networkDecider, requireNetwork, type FormedNetwork, type NetworkCommand } from './network.decider';
import { NETWORK_STREAM_TYPE, type NetworkEvent } from './network.events';

const spec = deciderSpec(networkDecider);
const networkId = 'network-1';
const fee = 30_000;

const formed: NetworkEvent = {
  type: 'NetworkFormed',
  data: { networkId, name: 'Sindhudurg Federation', cluster: 'Kudal', formedOn: '2005-04-01', annualFee: fee },
};
const joined = (shgId: string): NetworkEvent => ({ type: 'ShgJoinedNetwork', data: { networkId, shgId, joinedOn: '2005-04-15' } });
const exited = (shgId: string): NetworkEvent => ({ type: 'ShgExitedNetwork', data: { networkId, shgId, exitedOn: '2005-09-30' } });
const assessed = (shgId: string, year = 2005): NetworkEvent => ({
  type: 'AnnualFeeAssessed',
  data: { networkId, shgId, year, amount: fee, assessedOn: `${year}-05-01` },
});
const paid = (shgId: string, amount: number, year = 2005): NetworkEvent => ({
  type: 'AnnualFeePaid',
  data: { networkId, shgId, paymentId: `p-${shgId}-${amount}`, year, amount, paidOn: `${year}-06-01` },
});
const contributed = (shgId: string, amount: number): NetworkEvent => ({
  type: 'FundContributed',
  data: { networkId, shgId, contributionId: `c-${shgId}`, amount, contributedOn: '2005-07-01' },
});

const assess = (year = 2005): NetworkCommand => ({ type: 'AssessAnnualFees', data: { networkId, year, assessedOn: `${year}-05-01` } });
const pay = (shgId: string, amount: number, year = 2005): NetworkCommand => ({
  type: 'PayAnnualFee',
  data: {
    networkId,
    paymentId: 'p-new',
    shgId,
    year,
    amount,
    paidOn: `${year}-06-01`,
  },
});
const contribute = (shgId: string, amount: number): NetworkCommand => ({
  type: 'ReceiveContribution',
  data: {
    networkId,
    contributionId: 'c-new',
    shgId,
    amount,
    contributedOn: '2005-07-01',
  },
});

describe('Network decider', () => {
  describe('forming', () => {
    const form: NetworkCommand = {
      type: 'FormNetwork',
      data: { networkId, name: 'Sindhudurg Federation', cluster: 'Kudal', formedOn: '2005-04-01', annualFee: fee },
    };

    it('forms a network with its annual fee', () => spec.given([]).when(form).then([formed]));

    it('refuses to form a network twice', () => spec.given([formed]).when(form).thenThrows('conflict'));
  });

  describe('membership', () => {
    const admit = (shgId: string): NetworkCommand => ({ type: 'AdmitShg', data: { networkId, shgId, joinedOn: '2005-04-15' } });
    const exit = (shgId: string): NetworkCommand => ({ type: 'RecordShgExit', data: { networkId, shgId, exitedOn: '2005-09-30' } });

    it('admits an SHG', () =>
      spec
        .given([formed])
        .when(admit('shg-a'))
        .then([joined('shg-a')]));

    it('refuses to admit a member twice with already_in_network', () =>
      spec
        .given([formed, joined('shg-a')])
        .when(admit('shg-a'))
        .thenThrows('already_in_network'));

    it('admits an SHG again after it left', () =>
      spec
        .given([formed, joined('shg-a'), exited('shg-a')])
        .when(admit('shg-a'))
        .then([joined('shg-a')]));

    it('answers not_found for a network that was never formed', () => spec.given([]).when(admit('shg-a')).thenThrows('not_found'));

    it('lets a member exit', () =>
      spec
        .given([formed, joined('shg-a')])
        .when(exit('shg-a'))
        .then([exited('shg-a')]));

    it('lets a member exit with fees still owed', () =>
      spec
        .given([formed, joined('shg-a'), assessed('shg-a')])
        .when(exit('shg-a'))
        .then([exited('shg-a')]));

    it('refuses the exit of an SHG that is not a member with not_a_member', () =>
      spec
        .given([formed, joined('shg-a'), exited('shg-a')])
        .when(exit('shg-a'))
        .thenThrows('not_a_member'));
  });

  describe('annual fee assessment', () => {
    it('assesses the annual fee once for every current member', () =>
      spec
        .given([formed, joined('shg-a'), joined('shg-b')])
        .when(assess())
        .then([assessed('shg-a'), assessed('shg-b')]));

    it('assesses only the members not yet assessed for that year', () =>
      spec
        .given([formed, joined('shg-a'), assessed('shg-a'), joined('shg-b')])
        .when(assess())
        .then([assessed('shg-b')]));

    it('assesses nothing when every member was assessed for the year', () =>
      spec
        .given([formed, joined('shg-a'), assessed('shg-a')])
        .when(assess())
        .then([]));

    it('assesses the members again for another year', () =>
      spec
        .given([formed, joined('shg-a'), assessed('shg-a', 2005)])
        .when(assess(2006))
        .then([assessed('shg-a', 2006)]));

    it('does not assess SHGs that have left', () =>
      spec
        .given([formed, joined('shg-a'), joined('shg-b'), exited('shg-a')])
        .when(assess())
        .then([assessed('shg-b')]));

    it('never assesses an SHG twice for a year, even when it left and came back', () =>
      spec
        .given([formed, joined('shg-a'), assessed('shg-a'), exited('shg-a'), joined('shg-a')])
        .when(assess())
        .then([]));

    it('answers not_found for an unknown network', () => spec.given([]).when(assess()).thenThrows('not_found'));
  });

  describe('fee payments', () => {
    const owing = [formed, joined('shg-a'), assessed('shg-a')];

    it('accepts a partial payment', () =>
      spec
        .given(owing)
        .when(pay('shg-a', 10_000))
        .then([
          {
            type: 'AnnualFeePaid',
            data: { networkId, shgId: 'shg-a', paymentId: 'p-new', year: 2005, amount: 10_000, paidOn: '2005-06-01' },
          },
        ]));

    it('accepts the rest of a partly paid fee', () =>
      spec
        .given([...owing, paid('shg-a', 10_000)])
        .when(pay('shg-a', 20_000))
        .then([expect.objectContaining({ type: 'AnnualFeePaid' }) as NetworkEvent]));

    it('refuses a payment for a year not assessed with fee_not_assessed', () =>
      spec
        .given(owing)
        .when(pay('shg-a', 100, 2006))
        .thenThrows('fee_not_assessed'));

    it('refuses a payment from an SHG never assessed with fee_not_assessed', () =>
      spec.given(owing).when(pay('shg-z', 100)).thenThrows('fee_not_assessed'));

    it('refuses more than the fee with fee_overpayment', () =>
      spec
        .given(owing)
        .when(pay('shg-a', fee + 1))
        .thenThrows('fee_overpayment'));

    it('refuses more than what is still owed with fee_overpayment', () =>
      spec
        .given([...owing, paid('shg-a', 25_000)])
        .when(pay('shg-a', 5_001))
        .thenThrows('fee_overpayment'));

    it('refuses any payment on a fee paid in full with fee_overpayment', () =>
      spec
        .given([...owing, paid('shg-a', fee)])
        .when(pay('shg-a', 1))
        .thenThrows('fee_overpayment'));

    it('accepts a payment of a fee still owed after the SHG left', () =>
      spec
        .given([...owing, exited('shg-a')])
        .when(pay('shg-a', fee))
        .then([expect.objectContaining({ type: 'AnnualFeePaid' }) as NetworkEvent]));
  });

  describe('contributions to the common fund', () => {
    it('receives a contribution from a member SHG', () =>
      spec
        .given([formed, joined('shg-a')])
        .when(contribute('shg-a', 50_000))
        .then([
          {
            type: 'FundContributed',
            data: { networkId, shgId: 'shg-a', contributionId: 'c-new', amount: 50_000, contributedOn: '2005-07-01' },
          },
        ]));

    it('refuses a contribution from an SHG that is not a member with not_a_member', () =>
      spec
        .given([formed, joined('shg-a')])
        .when(contribute('shg-b', 50_000))
        .thenThrows('not_a_member'));

    it('refuses a contribution from an SHG that left with not_a_member', () =>
      spec
        .given([formed, joined('shg-a'), exited('shg-a')])
        .when(contribute('shg-a', 50_000))
        .thenThrows('not_a_member'));
  });

  describe('dates in order', () => {
    const on = <C extends NetworkCommand>(command: C, date: Partial<C['data']>): NetworkCommand =>
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- the rule is wrong here: tsc rejects the spread of a generic command's data without it
      ({ ...command, data: { ...command.data, ...date } }) as C;
    const admit: NetworkCommand = { type: 'AdmitShg', data: { networkId, shgId: 'shg-a', joinedOn: '2005-04-01' } };
    const exit: NetworkCommand = { type: 'RecordShgExit', data: { networkId, shgId: 'shg-a', exitedOn: '2005-04-15' } };
    const owing = [formed, joined('shg-a'), assessed('shg-a')];

    it('admits an SHG on the day the network was formed, not before, with date_out_of_order', () => {
      spec
        .given([formed])
        .when(admit)
        .then([{ type: 'ShgJoinedNetwork', data: { networkId, shgId: 'shg-a', joinedOn: '2005-04-01' } }]);
      spec
        .given([formed])
        .when(on(admit, { joinedOn: '2005-03-31' }))
        .thenThrows('date_out_of_order', { fields: ['joinedOn'] });
    });

    it('records an exit on the day the SHG joined, not before, with date_out_of_order', () => {
      spec
        .given([formed, joined('shg-a')])
        .when(exit)
        .then([expect.objectContaining({ type: 'ShgExitedNetwork' }) as NetworkEvent]);
      spec
        .given([formed, joined('shg-a')])
        .when(on(exit, { exitedOn: '2005-04-14' }))
        .thenThrows('date_out_of_order', { fields: ['exitedOn'] });
    });

    it('compares an exit with the latest join of an SHG that came back', () => {
      const cameBack: NetworkEvent = { type: 'ShgJoinedNetwork', data: { networkId, shgId: 'shg-a', joinedOn: '2006-01-01' } };
      spec
        .given([formed, joined('shg-a'), exited('shg-a'), cameBack])
        .when(on(exit, { exitedOn: '2005-12-31' }))
        .thenThrows('date_out_of_order', { fields: ['exitedOn'] });
    });

    it('refuses an assessment dated before the network was formed with date_out_of_order', () => {
      spec
        .given([formed, joined('shg-a')])
        .when(on(assess(), { assessedOn: '2005-04-15' }))
        .then([{ ...assessed('shg-a'), data: { ...assessed('shg-a').data, assessedOn: '2005-04-15' } } as NetworkEvent]);
      spec
        .given([formed, joined('shg-a')])
        .when(on(assess(), { assessedOn: '2005-03-31' }))
        .thenThrows('date_out_of_order', { fields: ['assessedOn'] });
    });

    it('refuses a fee year before the year the network was formed with date_out_of_order, whenever it is assessed', () => {
      spec
        .given([formed, joined('shg-a')])
        .when(on(assess(2004), { assessedOn: '2005-05-01' }))
        .thenThrows('date_out_of_order', { fields: ['year'] });
      spec
        .given([formed, joined('shg-a')])
        .when(on(assess(2006), { assessedOn: '2005-12-01' }))
        .then([{ ...assessed('shg-a', 2006), data: { ...assessed('shg-a', 2006).data, assessedOn: '2005-12-01' } } as NetworkEvent]);
    });

    it('assesses only the SHGs that were members on the assessment date; a later call assesses the others', () => {
      const lateJoiner: NetworkEvent = { type: 'ShgJoinedNetwork', data: { networkId, shgId: 'shg-b', joinedOn: '2005-05-02' } };
      spec
        .given([formed, joined('shg-a'), lateJoiner])
        .when(assess())
        .then([assessed('shg-a')]);
      spec
        .given([formed, joined('shg-a'), lateJoiner, assessed('shg-a')])
        .when(on(assess(), { assessedOn: '2005-05-02' }))
        .then([{ type: 'AnnualFeeAssessed', data: { networkId, shgId: 'shg-b', year: 2005, amount: fee, assessedOn: '2005-05-02' } }]);
    });

    it('takes a fee payment dated the day of its assessment, not before, with date_out_of_order', () => {
      spec
        .given(owing)
        .when(on(pay('shg-a', 100), { paidOn: '2005-05-01' }))
        .then([expect.objectContaining({ type: 'AnnualFeePaid' }) as NetworkEvent]);
      spec
        .given(owing)
        .when(on(pay('shg-a', 100), { paidOn: '2005-04-30' }))
        .thenThrows('date_out_of_order', { fields: ['paidOn'] });
    });

    it('refuses a contribution dated before the SHG joined with date_out_of_order', () => {
      spec
        .given([formed, joined('shg-a')])
        .when(on(contribute('shg-a', 100), { contributedOn: '2005-04-15' }))
        .then([expect.objectContaining({ type: 'FundContributed' }) as NetworkEvent]);
      spec
        .given([formed, joined('shg-a')])
        .when(on(contribute('shg-a', 100), { contributedOn: '2005-04-14' }))
        .thenThrows('date_out_of_order', { fields: ['contributedOn'] });
    });
  });

  describe('sums the API can state exactly (2^53 - 1 paise)', () => {
    const MAX = Number.MAX_SAFE_INTEGER;
    const E12 = 1_000_000_000_000;
    /** Contributions of 1e12 paise, repeated until the common fund holds `total`. */
    const fundOf = (total: number): NetworkEvent[] => {
      const events: NetworkEvent[] = [formed, joined('shg-a')];
      for (let left = total, i = 0; left > 0; left -= Math.min(left, E12), i++) {
        events.push({
          type: 'FundContributed',
          data: { networkId, shgId: 'shg-a', contributionId: `c-${i}`, amount: Math.min(left, E12), contributedOn: '2005-07-01' },
        });
      }
      return events;
    };

    it('takes contributions up to the last paisa the API can state, and refuses one more with amount_too_large', () => {
      spec
        .given(fundOf(MAX - E12))
        .when(contribute('shg-a', E12))
        .then([expect.objectContaining({ type: 'FundContributed' }) as NetworkEvent]);
      spec
        .given(fundOf(MAX - E12))
        .when(contribute('shg-a', E12 + 1))
        .thenThrows('amount_too_large');
    });

    it('refuses a fee payment that would take the common fund past it with amount_too_large', () => {
      const owing = [...fundOf(MAX - 100), assessed('shg-a')];
      spec
        .given(owing)
        .when(pay('shg-a', 100))
        .then([expect.objectContaining({ type: 'AnnualFeePaid' }) as NetworkEvent]);
      spec.given(owing).when(pay('shg-a', 101)).thenThrows('amount_too_large');
    });

    it("refuses an assessment that would take a year's fees past it with amount_too_large", () => {
      // 9,008 SHGs at 1e12 paise would do it; a fee of a third of the limit shows the same rule with 4.
      const third = Math.floor(MAX / 3);
      const dearFee: NetworkEvent = {
        type: 'NetworkFormed',
        data: { networkId, name: 'Sindhudurg Federation', cluster: 'Kudal', formedOn: '2005-04-01', annualFee: third },
      };
      const members = [joined('shg-a'), joined('shg-b'), joined('shg-c')];
      spec
        .given([dearFee, ...members])
        .when(assess())
        .then(
          ['shg-a', 'shg-b', 'shg-c'].map(
            (shgId) => ({ ...assessed(shgId), data: { ...assessed(shgId).data, amount: third } }) as NetworkEvent,
          ),
        );
      spec
        .given([dearFee, ...members, joined('shg-d')])
        .when(assess())
        .thenThrows('amount_too_large');
      const assessedThree = ['shg-a', 'shg-b', 'shg-c'].map(
        (shgId) => ({ ...assessed(shgId), data: { ...assessed(shgId).data, amount: third } }) as NetworkEvent,
      );
      spec
        .given([dearFee, ...members, ...assessedThree, joined('shg-d')])
        .when(assess())
        .thenThrows('amount_too_large');
    });
  });

  describe('a network that charges no annual fee', () => {
    const free: NetworkEvent = {
      type: 'NetworkFormed',
      data: { networkId, name: 'Chanderi weavers', cluster: 'Chanderi', formedOn: '2005-04-01', annualFee: 0 },
    };
    const assessedNothing: NetworkEvent = {
      type: 'AnnualFeeAssessed',
      data: { networkId, shgId: 'shg-a', year: 2005, amount: 0, assessedOn: '2005-05-01' },
    };

    it('is formed with a fee of 0', () =>
      spec
        .given([])
        .when({
          type: 'FormNetwork',
          data: { networkId, name: 'Chanderi weavers', cluster: 'Chanderi', formedOn: '2005-04-01', annualFee: 0 },
        })
        .then([free]));

    it('records a zero-fee assessment for each member: the year is assessed and the SHG owes nothing', () =>
      spec
        .given([free, joined('shg-a')])
        .when(assess())
        .then([assessedNothing]));

    it('refuses any payment to a zero-fee year with fee_overpayment', () =>
      spec
        .given([free, joined('shg-a'), assessedNothing])
        .when(pay('shg-a', 1))
        .thenThrows('fee_overpayment'));
  });

  it('counts fees paid and contributions in the common fund, and keeps members in joining order', () => {
    const state = fold(networkDecider.evolve, networkDecider.initialState(), [
      formed,
      joined('shg-b'),
      joined('shg-a'),
      joined('shg-c'),
      exited('shg-c'),
      assessed('shg-a'),
      assessed('shg-b'),
      paid('shg-a', fee),
      paid('shg-b', 12_000),
      contributed('shg-a', 100_000),
    ]);
    const network = requireNetwork(state, networkId);
    expect(network.memberShgIds).toEqual(['shg-b', 'shg-a']);
    expect(commonFund(network)).toBe(142_000n);
    expect(network.fees[2005]).toEqual({
      'shg-a': { assessed: fee, paid: fee, assessedOn: '2005-05-01' },
      'shg-b': { assessed: fee, paid: 12_000, assessedOn: '2005-05-01' },
    });
  });
});

describe('access to a network', () => {
  const grant = (userId: string) => ({ objectType: 'network' as const, objectId: networkId, userId });
  const granted = (userId: string): NetworkEvent => ({ type: 'AccessGranted', data: grant(userId) });

  it('grants a user the network, and revokes the grant', () => {
    spec
      .given([formed])
      .when({ type: 'GrantAccess', data: { networkId, userId: 'field1' } })
      .then([granted('field1')]);
    spec
      .given([formed, granted('field1')])
      .when({ type: 'RevokeAccess', data: { networkId, userId: 'field1' } })
      .then([{ type: 'AccessRevoked', data: grant('field1') }]);
  });

  it('keeps whom the network is granted to, no one once formed', () => {
    const grantees = (events: NetworkEvent[]) =>
      (fold(networkDecider.evolve, networkDecider.initialState(), events) as FormedNetwork).grantees;
    expect(grantees([formed])).toEqual([]);
    expect(grantees([formed, granted('field1'), granted('field2'), { type: 'AccessRevoked', data: grant('field1') }])).toEqual(['field2']);
  });
});

it('keeps its events in streams of type "network", the type stored with each of them (another name would part old streams from new)', () => {
  expect(NETWORK_STREAM_TYPE).toBe('network');
});
