import { randomUUID } from 'node:crypto';
import type { Client } from 'pg';
import { connectTestDatabase, devUserId, httpClient, type RunningService } from '@sangam/testing';
import { groupsClient, startGroups } from './groups-client';

/**
 * A meeting's deposits arrive together: the ones waiting for an SHG's stream are written in one
 * transaction (StreamBatches). Each request must still be answered exactly as it would be alone.
 */
describe('deposits arriving together for one SHG', () => {
  let service: RunningService;
  let db: Client;
  let shgId: string;
  let memberIds: string[];
  const field1 = () => httpClient(service.url, 'field1');
  const field2 = () => httpClient(service.url, 'field2');

  beforeAll(async () => {
    service = await startGroups('sangam_test_deposit_batches');
    db = await connectTestDatabase(service.config.databaseName);
    const admin = groupsClient(service.url);
    shgId = await admin.formShg();
    memberIds = [];
    for (let i = 0; i < 5; i++) memberIds.push(await admin.enrol(shgId, `Member ${i + 1}`));
    for (const officer of ['field1', 'field2'] as const) {
      const grant = await admin.post(`/shgs/${shgId}/grants`, { userId: devUserId(officer) });
      expect(grant.status).toBe(201);
    }
  });
  afterAll(async () => {
    await db.end();
    await service.stop();
  });

  const deposits = async () =>
    (
      await db.query<{ deposit_id: string; amount: number; version: number; actor: string; correlation: string; recorded_at: Date }>(
        `SELECT data->>'depositId' AS deposit_id, (data->>'amount')::int AS amount, stream_version AS version,
                metadata->'actor'->>'userId' AS actor, metadata->>'correlationId' AS correlation, recorded_at
         FROM events WHERE stream_id = $1 AND type = 'SavingsDeposited' ORDER BY stream_version`,
        [shgId],
      )
    ).rows;

  it('answers each request for itself: refusals alone refused, every accepted deposit stored once with its own caller', async () => {
    const before = (await deposits()).length;
    const requests = Array.from({ length: 40 }, (_, i) => {
      const officer = i % 2 === 0 ? field1() : field2();
      const correlationId = randomUUID();
      const kind = i % 10 === 3 ? 'stranger' : i % 10 === 7 ? 'too early' : 'deposit';
      const body = {
        memberId: kind === 'stranger' ? randomUUID() : memberIds[i % memberIds.length],
        amount: 1_000 + i,
        depositedOn: kind === 'too early' ? '2004-01-01' : '2005-05-01',
      };
      return {
        i,
        kind,
        correlationId,
        actor: devUserId(i % 2 === 0 ? 'field1' : 'field2'),
        answer: officer.post(`/shgs/${shgId}/savings/deposits`, body, { 'x-correlation-id': correlationId }),
      };
    });
    const answers = await Promise.all(requests.map(async (request) => ({ ...request, answer: await request.answer })));

    for (const { kind, answer } of answers) {
      if (kind === 'stranger') expect(answer).toMatchObject({ status: 422, body: { error: 'unknown_member' } });
      else if (kind === 'too early') expect(answer).toMatchObject({ status: 422, body: { error: 'date_out_of_order' } });
      else expect(answer).toMatchObject({ status: 201, body: { id: expect.any(String) } });
    }
    const stored = (await deposits()).slice(before);
    const accepted = answers.filter((a) => a.kind === 'deposit');
    expect(stored).toHaveLength(accepted.length);
    // Versions stay gapless however the deposits were grouped.
    stored.forEach((event, i) => expect(event.version).toBe(stored[0].version + i));
    for (const { i, correlationId, actor, answer } of accepted) {
      expect(stored.find((event) => event.deposit_id === answer.body.id)).toMatchObject({
        amount: 1_000 + i,
        correlation: correlationId,
        actor,
      });
    }
    // They were written together: fewer commits than deposits (events of one transaction share its recorded_at).
    expect(new Set(stored.map((event) => event.recorded_at.toISOString())).size).toBeLessThan(stored.length);
  });

  it('runs concurrent requests with one Idempotency-Key once, and answers all of them with the first answer', async () => {
    const before = (await deposits()).length;
    const key = randomUUID();
    const body = { memberId: memberIds[0], amount: 7_777, depositedOn: '2005-06-01' };
    const others = Array.from({ length: 10 }, (_, i) =>
      field1().post(`/shgs/${shgId}/savings/deposits`, { memberId: memberIds[1], amount: 100 + i, depositedOn: '2005-06-01' }),
    );
    const retries = Array.from({ length: 5 }, () => field1().post(`/shgs/${shgId}/savings/deposits`, body, { 'idempotency-key': key }));
    const keyed = await Promise.all(retries);
    await Promise.all(others);

    expect(keyed.map((answer) => answer.status)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(keyed.map((answer) => answer.body.id)).size).toBe(1);
    const stored = (await deposits()).slice(before);
    expect(stored.filter((event) => event.amount === 7_777)).toEqual([expect.objectContaining({ deposit_id: keyed[0].body.id })]);
    expect(stored).toHaveLength(11);

    // Another caller's identical key is a key of its own.
    const theirs = await field2().post(`/shgs/${shgId}/savings/deposits`, body, { 'idempotency-key': key });
    expect(theirs.status).toBe(201);
    expect(theirs.body.id).not.toBe(keyed[0].body.id);
    // The key with another request is refused, and records nothing.
    const reused = await field1().post(`/shgs/${shgId}/savings/deposits`, { ...body, amount: 8_888 }, { 'idempotency-key': key });
    expect(reused).toMatchObject({ status: 422, body: { error: 'idempotency_key_reused' } });
    expect((await deposits()).filter((event) => event.amount === 8_888)).toEqual([]);
  });

  it('replays a refusal kept under its key, even once the refusal no longer holds', async () => {
    const key = randomUUID();
    const body = { memberId: memberIds[2], amount: 1_234, depositedOn: '2004-12-31' };
    const first = await field1().post(`/shgs/${shgId}/savings/deposits`, body, { 'idempotency-key': key });
    expect(first).toMatchObject({ status: 422, body: { error: 'date_out_of_order' } });
    const again = await field1().post(`/shgs/${shgId}/savings/deposits`, body, { 'idempotency-key': key });
    expect(again).toEqual(first);
  });

  it('refuses a deposit to an SHG that does not exist, alone among others that do', async () => {
    const [missing, present] = await Promise.all([
      field1().post(`/shgs/${randomUUID()}/savings/deposits`, { memberId: memberIds[0], amount: 500, depositedOn: '2005-05-01' }),
      field1().post(`/shgs/${shgId}/savings/deposits`, { memberId: memberIds[0], amount: 500, depositedOn: '2005-05-01' }),
    ]);
    expect(missing.status).toBe(404);
    expect(present.status).toBe(201);
  });
});
