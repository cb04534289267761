import { randomUUID } from 'node:crypto';
import { connectTestDatabase, type RunningService } from '@sangam/testing';
import { groupsClient, shgWithSavers, startGroups, type GroupsClient } from './groups-client';

describe('groups API: SHGs, members and savings', () => {
  let service: RunningService;
  let api: GroupsClient;

  beforeAll(async () => {
    service = await startGroups('sangam_test_groups_shgs');
    api = groupsClient(service.url);
  });
  afterAll(() => service.stop());

  it('forms an SHG and answers it with no members, no savings and no network', async () => {
    const formed = await api.post('/shgs', { name: 'Mahila Shakti', village: 'Kudal', formedOn: '2005-04-01' });
    expect(formed.status).toBe(201);
    expect(Object.keys(formed.body)).toEqual(['id']);
    const shg = await api.get(`/shgs/${formed.body.id}`);
    expect(shg).toEqual({
      status: 200,
      body: {
        id: formed.body.id,
        name: 'Mahila Shakti',
        village: 'Kudal',
        formedOn: '2005-04-01',
        members: [],
        savingsBalance: 0,
        pooledSavings: 0,
        lentToMembers: 0,
        interestEarned: 0,
        networkId: null,
      },
    });
  });

  it('enrols members with their roles, in enrolment order', async () => {
    const shgId = await api.formShg();
    const leader = await api.post(`/shgs/${shgId}/members`, { name: 'Savita Naik', role: 'leader' });
    const treasurer = await api.post(`/shgs/${shgId}/members`, { name: 'Asha Sawant', role: 'treasurer' });
    expect([leader.status, treasurer.status]).toEqual([201, 201]);
    expect((await api.get(`/shgs/${shgId}`)).body.members).toEqual([
      { id: leader.body.id, name: 'Savita Naik', role: 'leader', savings: 0 },
      { id: treasurer.body.id, name: 'Asha Sawant', role: 'treasurer', savings: 0 },
    ]);
  });

  it('refuses a twenty-first member with 422 shg_full', async () => {
    const shgId = await api.formShg();
    for (let i = 0; i < 20; i++) await api.enrol(shgId, `Member ${i}`);
    const refused = await api.post(`/shgs/${shgId}/members`, { name: 'One too many', role: 'member' });
    expect(refused.status).toBe(422);
    expect(refused.body).toEqual({ error: 'shg_full', message: expect.any(String) });
    expect((await api.get(`/shgs/${shgId}`)).body.members).toHaveLength(20);
  });

  it("counts deposits and withdrawals in each member's savings and the SHG's balance", async () => {
    const { shgId, memberIds } = await shgWithSavers(api, 2, 10_000);
    const withdrawal = await api.post(`/shgs/${shgId}/savings/withdrawals`, {
      memberId: memberIds[0],
      amount: 4_000,
      withdrawnOn: '2005-06-01',
    });
    expect(withdrawal.status).toBe(201);
    expect(withdrawal.body.id).toMatch(/^[0-9a-f-]{36}$/);
    const shg = (await api.get(`/shgs/${shgId}`)).body;
    expect(shg.members.map((m: { savings: number }) => m.savings)).toEqual([6_000, 10_000]);
    expect(shg.savingsBalance).toBe(16_000);
  });

  it("refuses a withdrawal beyond the member's savings with 422 insufficient_savings and records nothing", async () => {
    const { shgId, memberIds } = await shgWithSavers(api, 2, 10_000);
    const refused = await api.post(`/shgs/${shgId}/savings/withdrawals`, {
      memberId: memberIds[0],
      amount: 10_001,
      withdrawnOn: '2005-06-01',
    });
    expect(refused.status).toBe(422);
    expect(refused.body.error).toBe('insufficient_savings');
    expect((await api.get(`/shgs/${shgId}`)).body.savingsBalance).toBe(20_000);
  });

  it('refuses deposits and withdrawals for someone who is not a member with 422 unknown_member', async () => {
    const shgId = await api.formShg();
    const stranger = randomUUID();
    const deposit = await api.post(`/shgs/${shgId}/savings/deposits`, { memberId: stranger, amount: 100, depositedOn: '2005-05-01' });
    const withdrawal = await api.post(`/shgs/${shgId}/savings/withdrawals`, { memberId: stranger, amount: 100, withdrawnOn: '2005-05-01' });
    expect([deposit.status, deposit.body.error]).toEqual([422, 'unknown_member']);
    expect([withdrawal.status, withdrawal.body.error]).toEqual([422, 'unknown_member']);
  });

  it('answers 404 not_found for an unknown SHG on every SHG route', async () => {
    const unknown = randomUUID();
    const answers = await Promise.all([
      api.get(`/shgs/${unknown}`),
      api.get('/shgs/not-an-id'),
      api.post(`/shgs/${unknown}/members`, { name: 'Savita', role: 'member' }),
      api.post(`/shgs/${unknown}/savings/deposits`, { memberId: randomUUID(), amount: 100, depositedOn: '2005-05-01' }),
      api.post(`/shgs/${unknown}/savings/withdrawals`, { memberId: randomUUID(), amount: 100, withdrawnOn: '2005-05-01' }),
    ]);
    for (const answer of answers) expect(answer).toEqual({ status: 404, body: { error: 'not_found', message: expect.any(String) } });
  });

  it('counts every one of 20 concurrent deposits to one SHG', async () => {
    const { shgId, memberIds } = await shgWithSavers(api, 20, 1);
    const answers = await Promise.all(
      memberIds.map((memberId, i) =>
        api.post(`/shgs/${shgId}/savings/deposits`, { memberId, amount: 1_000 + i, depositedOn: '2005-06-01' }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(memberIds.map(() => 201));
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(20);
    const shg = (await api.get(`/shgs/${shgId}`)).body;
    expect(shg.savingsBalance).toBe(20 + 20 * 1_000 + (19 * 20) / 2);
    expect(shg.members.map((m: { savings: number }) => m.savings)).toEqual(memberIds.map((_, i) => 1 + 1_000 + i));
  });

  it('replays a retried deposit with the same Idempotency-Key and counts it once', async () => {
    const { shgId, memberIds } = await shgWithSavers(api, 1, 500);
    const key = randomUUID();
    const body = { memberId: memberIds[0], amount: 2_500, depositedOn: '2005-06-01' };
    const first = await api.post(`/shgs/${shgId}/savings/deposits`, body, { 'Idempotency-Key': key });
    const retry = await api.post(`/shgs/${shgId}/savings/deposits`, body, { 'Idempotency-Key': key });
    const reused = await api.post(`/shgs/${shgId}/savings/deposits`, { ...body, amount: 2_600 }, { 'Idempotency-Key': key });
    expect(retry).toEqual(first);
    expect([reused.status, reused.body.error]).toEqual([422, 'idempotency_key_reused']);
    expect((await api.get(`/shgs/${shgId}`)).body.savingsBalance).toBe(3_000);
  });

  it('answers retries racing the first request with its answer, and counts the deposit once', async () => {
    const { shgId, memberIds } = await shgWithSavers(api, 1, 500);
    const key = randomUUID();
    const body = { memberId: memberIds[0], amount: 1_000, depositedOn: '2005-06-01' };
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => api.post(`/shgs/${shgId}/savings/deposits`, body, { 'Idempotency-Key': key })),
    );
    expect(new Set(answers.map((answer) => answer.status))).toEqual(new Set([201]));
    expect(new Set(answers.map((answer) => answer.body.id)).size).toBe(1);
    expect((await api.get(`/shgs/${shgId}`)).body.savingsBalance).toBe(1_500);
  });

  it('commits the events and the stored answer together: a request whose answer cannot be stored records nothing, and its retry runs afresh', async () => {
    const { shgId, memberIds } = await shgWithSavers(api, 1, 500);
    const key = randomUUID();
    const body = { memberId: memberIds[0], amount: 1_000, depositedOn: '2005-06-01' };
    const db = await connectTestDatabase(service.config.databaseName);
    try {
      // The answer, stored after the command has run, is refused for this key (a claim without one, as an older version made, would pass).
      await db.query(`ALTER TABLE idempotency_keys ADD CONSTRAINT no_unstorable_keys CHECK (status IS NULL OR key <> '${key}')`);
      const failed = await api.post(`/shgs/${shgId}/savings/deposits`, body, { 'Idempotency-Key': key });
      await db.query(`ALTER TABLE idempotency_keys DROP CONSTRAINT no_unstorable_keys`);
      expect(failed.status).toBe(500);
      const { rows } = await db.query(`SELECT type FROM events WHERE stream_id = $1 AND type = 'SavingsDeposited'`, [shgId]);
      expect(rows).toHaveLength(1);

      const retry = await api.post(`/shgs/${shgId}/savings/deposits`, body, { 'Idempotency-Key': key });
      expect(retry.status).toBe(201);
      expect(await api.post(`/shgs/${shgId}/savings/deposits`, body, { 'Idempotency-Key': key })).toEqual(retry);
      expect((await api.get(`/shgs/${shgId}`)).body.savingsBalance).toBe(1_500);
    } finally {
      await db.query(`ALTER TABLE idempotency_keys DROP CONSTRAINT IF EXISTS no_unstorable_keys`);
      await db.end();
    }
  });
});
