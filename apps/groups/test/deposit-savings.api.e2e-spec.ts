import { randomUUID } from 'node:crypto';
import {
  devUserId,
  existingStream,
  expectNewEvents,
  expectNoNewEvents,
  expectResponse,
  post,
  spec,
  type RunningService,
} from '@sangam/testing';
import { SHG_STREAM_TYPE, type ShgEvent } from '../src/shgs/domain/shg.events';
import { startGroups } from './groups-client';

/** A savings deposit at the API: given an SHG's stream, a field officer's request, the events it appends. */
describe('depositing savings, given an SHG with a member, granted to field1', () => {
  let service: RunningService;
  beforeAll(async () => {
    service = await startGroups('sangam_test_groups_api');
  });
  afterAll(() => service.stop());

  const shgWithMember = () => {
    const shgId = randomUUID();
    const memberId = randomUUID();
    const events: ShgEvent[] = [
      { type: 'ShgFormed', data: { shgId, name: 'Mahila Shakti', village: 'Kudal', formedOn: '2005-04-01' } },
      { type: 'MemberEnrolled', data: { shgId, memberId, name: 'Savita Naik', role: 'member' } },
      { type: 'AccessGranted', data: { objectType: 'shg', objectId: shgId, userId: devUserId('field1') } },
    ];
    return { shgId, memberId, given: spec(() => service).given(existingStream(shgId, SHG_STREAM_TYPE, events)) };
  };

  it("records the member's deposit", async () => {
    const { shgId, memberId, given } = shgWithMember();
    await given
      .when(post('field1', `/shgs/${shgId}/savings/deposits`, { memberId, amount: 50_000, depositedOn: '2005-05-01' }))
      .then(
        expectResponse(201, { id: expect.any(String) }),
        expectNewEvents(shgId, [
          { type: 'SavingsDeposited', data: { shgId, memberId, depositId: expect.any(String), amount: 50_000, depositedOn: '2005-05-01' } },
        ]),
      );
  });

  it('refuses a deposit for someone who is not a member, appending nothing', async () => {
    const { shgId, given } = shgWithMember();
    await given
      .when(post('field1', `/shgs/${shgId}/savings/deposits`, { memberId: randomUUID(), amount: 50_000, depositedOn: '2005-05-01' }))
      .then(expectResponse(422, { error: 'unknown_member' }), expectNoNewEvents(shgId));
  });

  it('answers a field officer the SHG is not granted to as if it did not exist, appending nothing', async () => {
    const { shgId, memberId, given } = shgWithMember();
    await given
      .when(post('field2', `/shgs/${shgId}/savings/deposits`, { memberId, amount: 50_000, depositedOn: '2005-05-01' }))
      .then(expectResponse(404), expectNoNewEvents(shgId));
  });
});
