import { randomUUID } from 'node:crypto';
import { groupsEventContracts } from '@sangam/contracts';
import { Topics, type EventEnvelope } from '@sangam/messaging';
import { collectFromTopic, contractViolations, devUserId, type RunningService } from '@sangam/testing';
import { groupsClient, startGroups, type GroupsClient } from './groups-client';

const ENVELOPE_KEYS = [
  'eventId',
  'type',
  'streamId',
  'streamVersion',
  'occurredAt',
  'recordedAt',
  'correlationId',
  'causationId',
  'actor',
  'schemaVersion',
  'data',
];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('groups events on Kafka', () => {
  let service: RunningService;
  let api: GroupsClient;

  beforeAll(async () => {
    service = await startGroups('sangam_test_groups_events');
    api = groupsClient(service.url);
  });
  afterAll(() => service.stop());

  it('publishes every fact of an SHG and its network in the contract envelope, in stream order, with documented data', async () => {
    const networkId = await api.formNetwork(30_000);
    const shgId = await api.formShg();
    const memberId = await api.enrol(shgId, 'Savita Naik', 'leader');
    const correlationId = `field-app-${randomUUID()}`;
    const deposit = await api.post(
      `/shgs/${shgId}/savings/deposits`,
      { memberId, amount: 50_000, depositedOn: '2005-05-01' },
      { 'X-Correlation-Id': correlationId },
    );
    await api.deposit(shgId, memberId, 25_000, '2005-06-01');
    await api.post(`/shgs/${shgId}/savings/withdrawals`, { memberId, amount: 5_000, withdrawnOn: '2005-06-15' });
    await api.join(networkId, shgId);
    const contributionId = await api.contribute(networkId, shgId, 40_000);
    await api.assess(networkId, 2005);
    await api.payFee(networkId, 2005, shgId, 30_000);
    await api.post(`/networks/${networkId}/members/${shgId}/exit`, { exitedOn: '2006-03-31' });

    const shgTypes = [
      'ShgFormed',
      'MemberEnrolled',
      'SavingsDeposited',
      'SavingsDeposited',
      'SavingsWithdrawn',
      'NetworkMembershipRecorded',
      'SavingsPooled',
      'NetworkExitRecorded',
    ];
    const networkTypes = ['NetworkFormed', 'ShgJoinedNetwork', 'FundContributed', 'AnnualFeeAssessed', 'AnnualFeePaid', 'ShgExitedNetwork'];
    const envelopes = await collectFromTopic(
      Topics.groups,
      (seen) => seen.length >= shgTypes.length + networkTypes.length,
      (envelope) => envelope.streamId === shgId || envelope.streamId === networkId,
    );
    const ofStream = (streamId: string) => envelopes.filter((e) => e.streamId === streamId);

    expect(ofStream(shgId).map((e) => e.type)).toEqual(shgTypes);
    expect(ofStream(networkId).map((e) => e.type)).toEqual(networkTypes);
    for (const stream of [ofStream(shgId), ofStream(networkId)])
      expect(stream.map((e) => e.streamVersion)).toEqual(stream.map((_, i) => i + 1));
    expect(contractViolations(envelopes, groupsEventContracts)).toEqual([]);
    for (const envelope of envelopes) {
      expect(Object.keys(envelope).sort()).toEqual([...ENVELOPE_KEYS].sort());
      expect(envelope).toMatchObject({
        eventId: expect.stringMatching(UUID),
        causationId: null,
        schemaVersion: 1,
        actor: { userId: devUserId('admin'), username: 'admin' },
      });
      expect([envelope.occurredAt, envelope.recordedAt]).toEqual([
        expect.stringMatching(ISO_TIMESTAMP),
        expect.stringMatching(ISO_TIMESTAMP),
      ]);
    }

    const deposited = ofStream(shgId).find((e) => e.type === 'SavingsDeposited') as EventEnvelope;
    expect(deposited.correlationId).toBe(correlationId);
    expect(deposited.data).toEqual({ shgId, memberId, depositId: deposit.body.id, amount: 50_000, depositedOn: '2005-05-01' });

    const pooled = ofStream(shgId).find((e) => e.type === 'SavingsPooled') as EventEnvelope;
    const contributed = ofStream(networkId).find((e) => e.type === 'FundContributed') as EventEnvelope;
    expect(contributed.data).toEqual({ networkId, shgId, contributionId, amount: 40_000, contributedOn: '2005-07-01' });
    expect(pooled.data).toEqual({ shgId, networkId, contributionId, amount: 40_000, pooledOn: '2005-07-01' });
    // Postgres gives one transaction one now(): both sides were recorded together.
    expect(pooled.recordedAt).toBe(contributed.recordedAt);
    expect(ofStream(networkId).find((e) => e.type === 'AnnualFeeAssessed')?.data).toEqual({
      networkId,
      shgId,
      year: 2005,
      amount: 30_000,
      assessedOn: '2005-05-01',
    });
  });
});
