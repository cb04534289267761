import { randomBytes, randomUUID } from 'node:crypto';
import type { Client } from 'pg';
import { DataSource } from 'typeorm';
import { Topics } from '@sangam/messaging';
import { databaseUrl, postgresOptions } from '@sangam/platform';
import { connectTestDatabase, EventPublisher, httpClient, waitFor, type HttpClient, type RunningService } from '@sangam/testing';
import { loadSealingKey } from '../src/banks/sealing-key';
import { SecretSealer } from '../src/banks/secret-sealing';
import { WebhookSecrets } from '../src/banks/webhook-secrets';
import {
  fundedNetwork,
  notification,
  registerBank,
  sanctionedLine,
  sanctionWhenFunded,
  sendWebhook,
  signedDelivery,
  startBankLinkage,
} from './bank-linkage.test-kit';

describe('bank-linkage API: banks and credit lines', () => {
  let service: RunningService;
  let api: HttpClient;
  let db: Client;
  const events = new EventPublisher();
  /** The key the service under test seals with (the same environment, so the same key file). */
  const sealer = new SecretSealer(loadSealingKey().key);

  beforeAll(async () => {
    service = await startBankLinkage('sangam_test_bank_api');
    api = httpClient(service.url);
    db = await connectTestDatabase(service.config.databaseName);
  });

  afterAll(async () => {
    await events.close();
    await db.end();
    await service.stop();
  });

  const terms = (bankId: string, borrower: { type: string; id: string }, limit: number) => ({
    bankId,
    borrower,
    limit,
    annualInterestRateBps: 900,
    sanctionedOn: '2005-07-01',
    expiresOn: '2006-06-30',
  });

  describe('banks', () => {
    it('registers a bank with a Standard Webhooks secret that is stored sealed and never published', async () => {
      const bank = await registerBank(api, 4);
      expect(bank.webhookSecret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
      expect(Buffer.from(bank.webhookSecret.slice(6), 'base64')).toHaveLength(32);
      const stored = await db.query(`SELECT secret FROM bank_webhook_secrets WHERE bank_id = $1`, [bank.id]);
      expect(stored.rows).toHaveLength(1);
      expect(stored.rows[0].secret).not.toContain(bank.webhookSecret.slice(6));
      expect(sealer.open(bank.id, stored.rows[0].secret)).toBe(bank.webhookSecret);
      const published = await db.query(`SELECT type, data::text AS data FROM events WHERE stream_id = $1`, [bank.id]);
      expect(published.rows.map((r) => r.type)).toEqual(['BankRegistered']);
      expect(published.rows[0].data).not.toContain(bank.webhookSecret.slice(6));
    });

    it('rotates the secret, keeping the previous one valid for 24 hours', async () => {
      const bank = await registerBank(api, 0);
      const rotated = await api.post(`/banks/${bank.id}/webhook-secret/rotation`, {});
      expect(rotated.status).toBe(201);
      expect(rotated.body.webhookSecret).toMatch(/^whsec_/);
      expect(rotated.body.webhookSecret).not.toBe(bank.webhookSecret);
      const { rows } = await db.query(
        `SELECT secret, extract(epoch FROM valid_until - created_at) AS grace FROM bank_webhook_secrets WHERE bank_id = $1 ORDER BY created_at`,
        [bank.id],
      );
      expect(rows.map((row) => ({ ...row, secret: sealer.open(bank.id, row.secret) }))).toEqual([
        { secret: bank.webhookSecret, grace: expect.anything() },
        { secret: rotated.body.webhookSecret, grace: null },
      ]);
      const [previous] = rows;
      expect(Number(previous.grace)).toBeGreaterThan(24 * 3600 - 60);
    });

    it('seals, when it starts, a secret that an earlier version stored as issued, and still verifies with it', async () => {
      const bank = await registerBank(api, 0);
      await db.query(`UPDATE bank_webhook_secrets SET secret = $2 WHERE bank_id = $1`, [bank.id, bank.webhookSecret]);
      await service.stop();
      service = await startBankLinkage('sangam_test_bank_api');
      api = httpClient(service.url);
      const { rows } = await db.query(`SELECT secret FROM bank_webhook_secrets WHERE bank_id = $1`, [bank.id]);
      expect(sealer.open(bank.id, rows[0].secret)).toBe(bank.webhookSecret);
      const delivery = signedDelivery(bank.webhookSecret, notification('credit_line.interest.charged', randomUUID(), 100, 'UTR-SEALED'));
      expect((await sendWebhook(api, bank.id, delivery)).status).toBe(202);
    });

    it('keeps the answer to a retried registration sealed: the Idempotency-Key store never holds the secret in plaintext', async () => {
      const key = randomUUID();
      const body = { name: 'Bank of India', branch: 'Sawantwadi', maxSavingsMultiple: 0 };
      const first = await api.post('/banks', body, { 'Idempotency-Key': key });
      expect(first.status).toBe(201);
      expect(await api.post('/banks', body, { 'Idempotency-Key': key })).toEqual(first);
      const { rows } = await db.query(`SELECT body::text AS body FROM idempotency_keys WHERE key = $1`, [key]);
      expect(rows).toHaveLength(1);
      expect(rows[0].body).not.toContain(first.body.webhookSecret.slice(6));
    });

    it('refuses to start with a key that does not open the stored secrets', async () => {
      await registerBank(api, 0);
      const dataSource = await new DataSource(
        postgresOptions(databaseUrl(service.config.databaseUrl, service.config.databaseName), []),
      ).initialize();
      try {
        const withAnotherKey = new WebhookSecrets(dataSource, new SecretSealer(randomBytes(32)));
        await expect(withAnotherKey.onModuleInit()).rejects.toThrow(/key does not open the stored secrets/);
        await expect(new WebhookSecrets(dataSource, sealer).onModuleInit()).resolves.toBeUndefined();
      } finally {
        await dataSource.destroy();
      }
    });

    it('answers 404 when rotating the secret of an unknown bank', async () => {
      const answer = await api.post(`/banks/${randomUUID()}/webhook-secret/rotation`, {});
      expect(answer).toMatchObject({ status: 404, body: { error: 'not_found' } });
    });

    it.each([
      ['a multiple above 10', { name: 'SBI', branch: 'Kudal', maxSavingsMultiple: 11 }],
      ['a fractional multiple', { name: 'SBI', branch: 'Kudal', maxSavingsMultiple: 1.5 }],
      ['a blank name', { name: ' ', branch: 'Kudal', maxSavingsMultiple: 1 }],
      ['an unknown field', { name: 'SBI', branch: 'Kudal', maxSavingsMultiple: 1, ifsc: 'SBIN0001' }],
    ])('refuses %s with 400 validation_failed', async (_, body) => {
      const answer = await api.post('/banks', body);
      expect(answer).toMatchObject({ status: 400, body: { error: 'validation_failed' } });
    });
  });

  describe('sanctioning against drawing power', () => {
    it("caps a network's line at the bank multiple of its common fund, following groups' events", async () => {
      const bank = await registerBank(api, 2);
      const networkId = randomUUID();
      const borrower = { type: 'network', id: networkId };
      await events.publish(Topics.groups, ...fundedNetwork(networkId, 1_000_000));
      await sanctionWhenFunded(api, terms(bank.id, borrower, 2_000_000));
      expect(await api.post('/credit-lines', terms(bank.id, borrower, 2_000_001))).toMatchObject({
        status: 422,
        body: { error: 'limit_exceeds_drawing_power' },
      });

      await events.publish(Topics.groups, {
        type: 'FundContributed',
        streamId: networkId,
        data: { networkId, shgId: randomUUID(), contributionId: randomUUID(), amount: 500, contributedOn: '2005-08-01' },
      });
      // One cap over all of the bank's open lines to the borrower: the first line's 2,000,000 leaves 1,000.
      await sanctionWhenFunded(api, terms(bank.id, borrower, 1_000));
      expect(await api.post('/credit-lines', terms(bank.id, borrower, 1))).toMatchObject({
        status: 422,
        body: { error: 'limit_exceeds_drawing_power' },
      });
      // Another bank has a cap of its own, and a line expired by the sanction date no longer counts.
      const other = await registerBank(api, 2);
      expect(await api.post('/credit-lines', terms(other.id, borrower, 2_001_000))).toMatchObject({ status: 201 });
      const later = { ...terms(bank.id, borrower, 2_001_000), sanctionedOn: '2006-07-01', expiresOn: '2007-06-30' };
      expect(await api.post('/credit-lines', later)).toMatchObject({ status: 201 });
    });

    it('lets exactly one of two sanctions racing past the drawing power through', async () => {
      const bank = await registerBank(api, 2);
      const networkId = randomUUID();
      const borrower = { type: 'network', id: networkId };
      await events.publish(Topics.groups, ...fundedNetwork(networkId, 1_000_000));
      await waitFor(async () => {
        const { rows } = await db.query(`SELECT savings::int AS savings FROM borrower_savings WHERE borrower_id = $1`, [networkId]);
        expect(rows).toEqual([{ savings: 1_000_000 }]);
      });
      for (let round = 0; round < 3; round++) {
        const racing = await Promise.all([
          api.post('/credit-lines', terms(bank.id, borrower, 1_100_000)),
          api.post('/credit-lines', terms(bank.id, borrower, 1_100_000)),
        ]);
        const statuses = racing.map((answer) => answer.status).sort();
        expect([round, statuses]).toEqual([round, round === 0 ? [201, 422] : [422, 422]]);
      }
      const { rows } = await db.query(`SELECT sum(credit_limit)::int AS exposure FROM sanctioned_limits WHERE bank_id = $1`, [bank.id]);
      expect(rows).toEqual([{ exposure: 1_100_000 }]);
    });

    it("caps an SHG's line at the multiple of its free savings: deposits less withdrawals less pooled savings", async () => {
      const bank = await registerBank(api, 3);
      const shgId = randomUUID();
      const memberId = randomUUID();
      await events.publish(
        Topics.groups,
        { type: 'ShgFormed', streamId: shgId, data: { shgId, name: 'Savitri', village: 'Pinguli', formedOn: '2005-01-10' } },
        {
          type: 'SavingsDeposited',
          streamId: shgId,
          data: { shgId, memberId, depositId: randomUUID(), amount: 10_000, depositedOn: '2005-02-01' },
        },
        {
          type: 'SavingsWithdrawn',
          streamId: shgId,
          data: { shgId, memberId, withdrawalId: randomUUID(), amount: 1_000, withdrawnOn: '2005-03-01' },
        },
        {
          type: 'SavingsPooled',
          streamId: shgId,
          data: { shgId, networkId: randomUUID(), contributionId: randomUUID(), amount: 4_000, pooledOn: '2005-04-01' },
        },
      );
      // The deposit alone would already allow 15,000, so wait for all four events, not for the first success.
      await waitFor(async () => {
        const { rows } = await db.query(
          `SELECT savings::int AS savings FROM borrower_savings WHERE borrower_type = 'shg' AND borrower_id = $1`,
          [shgId],
        );
        expect(rows).toEqual([{ savings: 5_000 }]);
      });
      expect(await api.post('/credit-lines', terms(bank.id, { type: 'shg', id: shgId }, 15_001))).toMatchObject({
        status: 422,
        body: { error: 'limit_exceeds_drawing_power' },
      });
      expect(await api.post('/credit-lines', terms(bank.id, { type: 'shg', id: shgId }, 15_000))).toMatchObject({ status: 201 });
    });

    it('answers 404 for an unknown bank or a borrower groups never told of', async () => {
      const bank = await registerBank(api, 0);
      expect(await api.post('/credit-lines', terms(randomUUID(), { type: 'network', id: randomUUID() }, 100))).toMatchObject({
        status: 404,
        body: { error: 'not_found' },
      });
      expect(await api.post('/credit-lines', terms(bank.id, { type: 'shg', id: randomUUID() }, 100))).toMatchObject({
        status: 404,
        body: { error: 'not_found' },
      });
    });

    it('refuses bad terms with 400 validation_failed naming the field', async () => {
      const bank = await registerBank(api, 0);
      const borrower = { type: 'network', id: randomUUID() };
      const bad = [
        { ...terms(bank.id, borrower, 100), limit: 100.5 },
        { ...terms(bank.id, borrower, 100), borrower: { type: 'member', id: randomUUID() } },
        { ...terms(bank.id, borrower, 100), sanctionedOn: '2005-02-30' },
        { ...terms(bank.id, borrower, 100), annualInterestRateBps: 6001 },
      ];
      for (const body of bad)
        expect(await api.post('/credit-lines', body)).toMatchObject({ status: 400, body: { error: 'validation_failed' } });
      const early = await api.post('/credit-lines', { ...terms(bank.id, borrower, 100), expiresOn: '2005-06-30' });
      expect(early).toMatchObject({ status: 400, body: { error: 'validation_failed', details: [{ field: 'expiresOn' }] } });
    });
  });

  describe('drawing and repaying', () => {
    it('draws up to the limit, refuses beyond it, and makes repaid principal available again', async () => {
      const bank = await registerBank(api, 1);
      const { creditLineId, networkId } = await sanctionedLine(api, events, bank.id, 5_000_000);
      const drawdown = await api.post(`/credit-lines/${creditLineId}/drawdowns`, {
        amount: 5_000_000,
        drawnOn: '2005-07-10',
        purpose: 'Rice mill',
      });
      expect(drawdown.status).toBe(201);
      expect(drawdown.body.id).toEqual(expect.any(String));
      const beyond = await api.post(`/credit-lines/${creditLineId}/drawdowns`, { amount: 1, drawnOn: '2005-07-11', purpose: 'More' });
      expect(beyond).toMatchObject({ status: 422, body: { error: 'insufficient_credit' } });

      const repayment = await api.post(`/credit-lines/${creditLineId}/repayments`, { amount: 2_000_000, repaidOn: '2005-10-01' });
      expect(repayment).toMatchObject({ status: 201, body: { id: expect.any(String), allocation: { interest: 0, principal: 2_000_000 } } });
      expect((await api.get(`/credit-lines/${creditLineId}`)).body).toEqual({
        id: creditLineId,
        bankId: bank.id,
        borrower: { type: 'network', id: networkId },
        limit: 5_000_000,
        drawn: 3_000_000,
        available: 2_000_000,
        interestCharged: 0,
        interestPaid: 0,
        status: 'active',
      });
      const overpaid = await api.post(`/credit-lines/${creditLineId}/repayments`, { amount: 3_000_001, repaidOn: '2005-10-02' });
      expect(overpaid).toMatchObject({ status: 422, body: { error: 'credit_overpayment' } });
    });

    it('refuses a drawdown after the expiry date with credit_line_expired, and shows the line expired', async () => {
      const bank = await registerBank(api, 0);
      const { creditLineId } = await sanctionedLine(api, events, bank.id, 100_000, { sanctionedOn: '2005-07-01', expiresOn: '2006-06-30' });
      const late = await api.post(`/credit-lines/${creditLineId}/drawdowns`, { amount: 100, drawnOn: '2006-07-01', purpose: 'Late' });
      expect(late).toMatchObject({ status: 422, body: { error: 'credit_line_expired' } });
      expect((await api.get(`/credit-lines/${creditLineId}`)).body).toMatchObject({ drawn: 0, status: 'expired' });
    });

    it('records a drawdown and a repayment once per bank reference, answering a repeat with the first id', async () => {
      const bank = await registerBank(api, 0);
      const { creditLineId } = await sanctionedLine(api, events, bank.id, 100_000);
      const draw = { amount: 40_000, drawnOn: '2005-07-10', purpose: 'Seeds', bankReference: 'UTR-API-1' };
      const first = await api.post(`/credit-lines/${creditLineId}/drawdowns`, draw);
      const again = await api.post(`/credit-lines/${creditLineId}/drawdowns`, draw);
      expect(again).toEqual(first);
      const repay = { amount: 10_000, repaidOn: '2005-08-10', bankReference: 'UTR-API-2' };
      const repaid = await api.post(`/credit-lines/${creditLineId}/repayments`, repay);
      expect(await api.post(`/credit-lines/${creditLineId}/repayments`, repay)).toEqual(repaid);
      const reused = await api.post(`/credit-lines/${creditLineId}/drawdowns`, { ...draw, amount: 1 });
      expect(reused).toMatchObject({ status: 409, body: { error: 'conflict' } });
      expect((await api.get(`/credit-lines/${creditLineId}`)).body).toMatchObject({ drawn: 30_000, available: 70_000 });
    });

    it('answers 404 for an unknown credit line', async () => {
      const id = randomUUID();
      expect(await api.get(`/credit-lines/${id}`)).toMatchObject({ status: 404, body: { error: 'not_found' } });
      expect(await api.post(`/credit-lines/${id}/drawdowns`, { amount: 1, drawnOn: '2005-07-10', purpose: 'x' })).toMatchObject({
        status: 404,
      });
      expect(await api.post(`/credit-lines/${id}/repayments`, { amount: 1, repaidOn: '2005-07-10' })).toMatchObject({ status: 404 });
    });

    it('replays the first answer to a retried Idempotency-Key and records nothing new', async () => {
      const bank = await registerBank(api, 0);
      const { creditLineId } = await sanctionedLine(api, events, bank.id, 100_000);
      const headers = { 'Idempotency-Key': randomUUID() };
      const draw = { amount: 1_000, drawnOn: '2005-07-10', purpose: 'Seeds' };
      const first = await api.post(`/credit-lines/${creditLineId}/drawdowns`, draw, headers);
      expect(await api.post(`/credit-lines/${creditLineId}/drawdowns`, draw, headers)).toEqual(first);
      expect((await api.get(`/credit-lines/${creditLineId}`)).body.drawn).toBe(1_000);
    });
  });
});
