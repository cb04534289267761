import { randomUUID } from 'node:crypto';
import type { Client } from 'pg';
import { bankLinkageEventContracts } from '@sangam/contracts';
import { Topics } from '@sangam/messaging';
import {
  connectTestDatabase,
  contractViolations,
  EventPublisher,
  httpClient,
  waitFor,
  type HttpClient,
  type RunningService,
} from '@sangam/testing';
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
import { generateWebhookSecret } from '../src/banks/webhook-secrets';
import { SecretSealer } from '../src/banks/secret-sealing';
import { DeliveryProcessor } from '../src/webhooks/process-deliveries/delivery-processor';

const REPAYMENT = 'credit_line.repayment.received';
const DRAWDOWN = 'credit_line.drawdown.settled';
const INTEREST = 'credit_line.interest.charged';

describe('bank webhooks', () => {
  let service: RunningService;
  let api: HttpClient;
  let db: Client;
  const events = new EventPublisher();
  let bank: { id: string; webhookSecret: string };

  beforeAll(async () => {
    service = await startBankLinkage('sangam_test_bank_webhooks');
    api = httpClient(service.url);
    db = await connectTestDatabase(service.config.databaseName);
    bank = await registerBank(api, 0);
  });

  afterAll(async () => {
    await events.close();
    await db.end();
    await service.stop();
  });

  const line = async (limit = 1_000_000) => (await sanctionedLine(api, events, bank.id, limit)).creditLineId;
  const send = (payload: unknown, options: Parameters<typeof signedDelivery>[2] = {}, secret = bank.webhookSecret, bankId = bank.id) =>
    sendWebhook(api, bankId, signedDelivery(secret, payload, options));
  const storedRows = async (webhookId: string) =>
    (await db.query(`SELECT status, error_code FROM webhook_deliveries WHERE webhook_id = $1`, [webhookId])).rows;
  const delivery = async (id: string) => {
    const { body } = await api.get('/webhooks/deliveries?limit=1000');
    return body.find((d: { id: string }) => d.id === id);
  };
  const settled = (id: string, status: string) =>
    waitFor(async () => {
      const found = await delivery(id);
      expect(found.status).toBe(status);
      return found;
    });
  const creditLine = async (id: string) => (await api.get(`/credit-lines/${id}`)).body;

  it('stores a valid first delivery, answers 202, then processes it into the credit line', async () => {
    const creditLineId = await line();
    await api.post(`/credit-lines/${creditLineId}/drawdowns`, { amount: 600_000, drawnOn: '2005-07-10', purpose: 'Rice mill' });
    const answer = await send(notification(REPAYMENT, creditLineId, 100_000, 'UTR-W1'));
    expect(answer).toMatchObject({ status: 202, body: { id: expect.any(String) } });
    expect(await settled(answer.body.id, 'processed')).toMatchObject({ bankId: bank.id, type: REPAYMENT, error: null });
    expect(await creditLine(creditLineId)).toMatchObject({ drawn: 500_000, available: 500_000 });
    const accepted = await db.query(`SELECT type, data, metadata->'actor' AS actor FROM events WHERE stream_id = $1`, [answer.body.id]);
    expect(accepted.rows).toEqual([
      { type: 'BankWebhookAccepted', data: expect.objectContaining({ bankId: bank.id, type: REPAYMENT }), actor: { bankId: bank.id } },
    ]);
    // The bank's signature is the identity behind what its notice records, which follows from the delivery's acceptance.
    const repaid = await db.query(`SELECT metadata FROM events WHERE stream_id = $1 AND type = 'CreditRepaid'`, [creditLineId]);
    const acceptedEventId = (await db.query(`SELECT event_id FROM events WHERE stream_id = $1`, [answer.body.id])).rows[0].event_id;
    expect(repaid.rows).toEqual([
      { metadata: { actor: { bankId: bank.id }, correlationId: answer.body.id, causationId: acceptedEventId } },
    ]);
  });

  it('answers the same webhook-id delivered 3 times with 202, 200, 200 and applies it once', async () => {
    const creditLineId = await line();
    await api.post(`/credit-lines/${creditLineId}/drawdowns`, { amount: 300_000, drawnOn: '2005-07-10', purpose: 'Rice mill' });
    const signed = signedDelivery(bank.webhookSecret, notification(REPAYMENT, creditLineId, 100_000, 'UTR-DUP'));
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await sendWebhook(api, bank.id, signed));
    expect(answers.map((a) => a.status)).toEqual([202, 200, 200]);
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    await settled(answers[0].body.id, 'processed');
    expect(await storedRows(signed.headers['webhook-id'])).toHaveLength(1);
    const repaid = await db.query(`SELECT count(*)::int AS n FROM events WHERE stream_id = $1 AND type = 'CreditRepaid'`, [creditLineId]);
    expect(repaid.rows[0].n).toBe(1);
    expect(await creditLine(creditLineId)).toMatchObject({ drawn: 200_000 });
  });

  it('stores deliveries that arrive together each once, answering each with its own id, and a webhook-id sent several times at once once', async () => {
    const creditLineId = await line();
    const distinct = Array.from({ length: 20 }, (_, i) =>
      signedDelivery(bank.webhookSecret, notification(INTEREST, creditLineId, 1, `UTR-C${i}`)),
    );
    const copied = signedDelivery(bank.webhookSecret, notification(INTEREST, creditLineId, 1, 'UTR-COPIED'));
    const answers = await Promise.all([...distinct, copied, copied, copied, copied].map((signed) => sendWebhook(api, bank.id, signed)));
    const [distinctAnswers, copiesAnswers] = [answers.slice(0, 20), answers.slice(20)];
    expect(distinctAnswers.map((a) => a.status)).toEqual(Array(20).fill(202));
    expect(new Set(distinctAnswers.map((a) => a.body.id)).size).toBe(20);
    expect(copiesAnswers.map((a) => a.status).sort()).toEqual([200, 200, 200, 202]);
    expect(new Set(copiesAnswers.map((a) => a.body.id)).size).toBe(1);
    for (const [i, signed] of [...distinct, copied].entries()) {
      expect(await storedRows(signed.headers['webhook-id'])).toEqual([{ status: expect.any(String), error_code: null }]);
      const { rows } = await db.query(`SELECT type FROM events WHERE stream_id = $1`, [answers[i].body.id]);
      expect(rows).toEqual([{ type: 'BankWebhookAccepted' }]);
    }
  });

  it('answers 404 for an unknown bank', async () => {
    const payload = notification(REPAYMENT, randomUUID(), 1, 'UTR-X');
    expect(await send(payload, {}, bank.webhookSecret, randomUUID())).toMatchObject({ status: 404, body: { error: 'not_found' } });
    expect(await send(payload, {}, bank.webhookSecret, 'not-a-bank')).toMatchObject({ status: 404, body: { error: 'not_found' } });
  });

  it('refuses a missing or forged signature with 401 invalid_signature and records nothing', async () => {
    const payload = notification(REPAYMENT, randomUUID(), 1, 'UTR-F');
    const forged = signedDelivery(`whsec_${Buffer.alloc(32, 1).toString('base64')}`, payload);
    expect(await sendWebhook(api, bank.id, forged)).toMatchObject({ status: 401, body: { error: 'invalid_signature' } });
    const unsigned = signedDelivery(bank.webhookSecret, payload);
    const { 'webhook-signature': _, ...withoutSignature } = unsigned.headers;
    expect(await api.post(`/webhooks/banks/${bank.id}`, unsigned.body, withoutSignature)).toMatchObject({
      status: 401,
      body: { error: 'invalid_signature' },
    });
    expect(await storedRows(forged.headers['webhook-id'])).toEqual([]);
    expect(await storedRows(unsigned.headers['webhook-id'])).toEqual([]);
  });

  it('refuses a timestamp more than 5 minutes old or ahead with 401 stale_timestamp and records nothing', async () => {
    const payload = notification(REPAYMENT, randomUUID(), 1, 'UTR-S');
    const now = Math.floor(Date.now() / 1000);
    // The service reads its clock later, so a future timestamp needs headroom: now + 301 is within 5 minutes once a second ticks over.
    for (const timestamp of [now - 301, now + 360]) {
      const webhookId = `msg_${randomUUID()}`;
      expect(await send(payload, { webhookId, timestamp })).toMatchObject({ status: 401, body: { error: 'stale_timestamp' } });
      expect(await storedRows(webhookId)).toEqual([]);
    }
  });

  it.each([
    ['a body that is not JSON', 'amount=500000'],
    ['an unknown type', notification('credit_line.closed', randomUUID(), 1, 'UTR-Q')],
    ['bad data', notification(REPAYMENT, randomUUID(), 10.5, 'UTR-Q')],
    ['a value date in year 0000', notification(REPAYMENT, randomUUID(), 1, 'UTR-Q', '0000-01-01')],
    ['a value date before 1980', notification(REPAYMENT, randomUUID(), 1, 'UTR-Q', '1900-01-01')],
    [
      'a value date more than a week ahead',
      notification(REPAYMENT, randomUUID(), 1, 'UTR-Q', new Date(Date.now() + 9 * 86_400_000).toISOString().slice(0, 10)),
    ],
  ])('quarantines %s with 400 invalid_payload, and answers its redelivery 200 recording nothing new', async (_, payload) => {
    const webhookId = `msg_${randomUUID()}`;
    const first = await send(payload, { webhookId });
    expect(first).toMatchObject({ status: 400, body: { error: 'invalid_payload' } });
    expect(await send(payload, { webhookId })).toMatchObject({ status: 200 });
    expect(await storedRows(webhookId)).toEqual([{ status: 'quarantined', error_code: 'invalid_payload' }]);
    const { body } = await api.get('/webhooks/deliveries?status=quarantined&limit=1000');
    const quarantined = body.find((d: { webhookId: string }) => d.webhookId === webhookId);
    expect(quarantined.body).toBe(typeof payload === 'string' ? payload : JSON.stringify(payload));
    expect(await db.query(`SELECT 1 FROM events WHERE data->>'deliveryId' = $1`, [webhookId])).toMatchObject({ rowCount: 0 });
  });

  it('refuses a body over 64 KiB with 413 payload_too_large', async () => {
    const padding = 'x'.repeat(64 * 1024);
    const payload = { ...notification(REPAYMENT, randomUUID(), 1, 'UTR-BIG'), timestamp: padding };
    const answer = await send(payload);
    expect(answer).toMatchObject({ status: 413, body: { error: 'payload_too_large' } });
  });

  it("decides a line's waiting deliveries one after another, in arrival order, failing only the one the line refuses", async () => {
    const creditLineId = await line();
    await api.post(`/credit-lines/${creditLineId}/drawdowns`, { amount: 500_000, drawnOn: '2005-07-10', purpose: 'Rice mill' });
    // Paused, so that the deliveries wait together and the processor takes them in one round.
    const processor = service.app.get(DeliveryProcessor);
    await processor.stop();
    const answers = [];
    try {
      for (const [amount, reference] of [
        [100_000, 'UTR-G1'],
        [70_000, 'UTR-G1'], // the same reference for another amount: refused
        [100_000, 'UTR-G2'],
        [100_000, 'UTR-G1'], // the first one again: nothing new
        [150_000, 'UTR-G3'],
      ] as const)
        answers.push(await send(notification(REPAYMENT, creditLineId, amount, reference)));
    } finally {
      processor.start();
    }
    const outcomes = [];
    for (const answer of answers) outcomes.push(await settled(answer.body.id, answer === answers[1] ? 'failed' : 'processed'));
    expect(outcomes.map((d) => d.error?.code ?? null)).toEqual([null, 'conflict', null, null, null]);
    expect(await creditLine(creditLineId)).toMatchObject({ drawn: 150_000 });
    const repaid = await db.query(
      `SELECT data->>'bankReference' AS reference FROM events WHERE stream_id = $1 AND type = 'CreditRepaid' ORDER BY stream_version`,
      [creditLineId],
    );
    expect(repaid.rows.map((row) => row.reference)).toEqual(['UTR-G1', 'UTR-G2', 'UTR-G3']);
  });

  it('keeps a valid delivery for an unknown credit line as failed, visible to operators', async () => {
    const unknownLine = randomUUID();
    const answer = await send(notification(INTEREST, unknownLine, 1_000, 'UTR-U'));
    expect(answer.status).toBe(202);
    await settled(answer.body.id, 'failed');
    const { body } = await api.get('/webhooks/deliveries?status=failed&limit=1000');
    expect(body.find((d: { id: string }) => d.id === answer.body.id)).toMatchObject({ status: 'failed', error: { code: 'not_found' } });
  });

  it("refuses a bank's report on a line another bank sanctioned", async () => {
    const creditLineId = await line();
    const otherBank = await registerBank(api, 0);
    const answer = await send(notification(INTEREST, creditLineId, 1_000, 'UTR-O'), {}, otherBank.webhookSecret, otherBank.id);
    expect(answer.status).toBe(202);
    expect((await settled(answer.body.id, 'failed')).error.code).toBe('not_found');
    expect(await creditLine(creditLineId)).toMatchObject({ interestCharged: 0 });
  });

  it('re-drives a failed delivery after the cause is fixed, applying it once', async () => {
    const creditLineId = await line();
    const answer = await send(notification(REPAYMENT, creditLineId, 50_000, 'UTR-R'));
    expect((await settled(answer.body.id, 'failed')).error.code).toBe('credit_overpayment');

    expect(await api.post(`/webhooks/deliveries/${answer.body.id}/redrive`, {})).toMatchObject({
      status: 202,
      body: { status: 'pending' },
    });
    expect((await settled(answer.body.id, 'failed')).attempts).toBe(2);

    await api.post(`/credit-lines/${creditLineId}/drawdowns`, { amount: 80_000, drawnOn: '2005-07-10', purpose: 'Seeds' });
    await api.post(`/webhooks/deliveries/${answer.body.id}/redrive`, {});
    expect(await settled(answer.body.id, 'processed')).toMatchObject({ error: null, attempts: 3 });
    expect(await creditLine(creditLineId)).toMatchObject({ drawn: 30_000 });
    expect(await api.post(`/webhooks/deliveries/${answer.body.id}/redrive`, {})).toMatchObject({
      status: 409,
      body: { error: 'conflict' },
    });
    expect(await api.post(`/webhooks/deliveries/${randomUUID()}/redrive`, {})).toMatchObject({ status: 404, body: { error: 'not_found' } });
  });

  it('records a drawdown once when the same bankReference comes through the API and a webhook, in either order', async () => {
    const creditLineId = await line();
    const viaApi = await api.post(`/credit-lines/${creditLineId}/drawdowns`, {
      amount: 70_000,
      drawnOn: '2005-07-10',
      purpose: 'Seeds',
      bankReference: 'UTR-BOTH-1',
    });
    const viaWebhook = await send(notification(DRAWDOWN, creditLineId, 70_000, 'UTR-BOTH-1'));
    await settled(viaWebhook.body.id, 'processed');

    const second = await send(notification(DRAWDOWN, creditLineId, 20_000, 'UTR-BOTH-2'));
    await settled(second.body.id, 'processed');
    const secondViaApi = await api.post(`/credit-lines/${creditLineId}/drawdowns`, {
      amount: 20_000,
      drawnOn: '2005-07-11',
      purpose: 'Seeds',
      bankReference: 'UTR-BOTH-2',
    });
    expect(secondViaApi.status).toBe(201);

    const drawn = await db.query(
      `SELECT data->>'drawdownId' AS id FROM events WHERE stream_id = $1 AND type = 'CreditDrawn' ORDER BY stream_version`,
      [creditLineId],
    );
    expect(drawn.rows.map((r) => r.id)).toEqual([viaApi.body.id, secondViaApi.body.id]);
    expect(await creditLine(creditLineId)).toMatchObject({ drawn: 90_000 });
  });

  it('verifies with the previous secret for 24 hours after a rotation, and with the new one', async () => {
    const rotatingBank = await registerBank(api, 0);
    const { creditLineId } = await sanctionedLine(api, events, rotatingBank.id, 100_000);
    const rotated = (await api.post(`/banks/${rotatingBank.id}/webhook-secret/rotation`, {})).body.webhookSecret;
    const withOld = await send(notification(INTEREST, creditLineId, 100, 'UTR-OLD'), {}, rotatingBank.webhookSecret, rotatingBank.id);
    const withNew = await send(notification(INTEREST, creditLineId, 200, 'UTR-NEW'), {}, rotated, rotatingBank.id);
    expect([withOld.status, withNew.status]).toEqual([202, 202]);
    await settled(withNew.body.id, 'processed');
    await settled(withOld.body.id, 'processed');
    expect(await creditLine(creditLineId)).toMatchObject({ interestCharged: 300 });

    await db.query(
      `UPDATE bank_webhook_secrets SET valid_until = now() - interval '1 second' WHERE bank_id = $1 AND valid_until IS NOT NULL`,
      [rotatingBank.id],
    );
    const afterGrace = await send(notification(INTEREST, creditLineId, 100, 'UTR-LATE'), {}, rotatingBank.webhookSecret, rotatingBank.id);
    expect(afterGrace).toMatchObject({ status: 401, body: { error: 'invalid_signature' } });
  });

  it('verifies at once with a secret another instance issued, and refuses at once the one it ended', async () => {
    const rotatingBank = await registerBank(api, 0);
    const { creditLineId } = await sanctionedLine(api, events, rotatingBank.id, 100_000);
    const before = await send(notification(INTEREST, creditLineId, 100, 'UTR-BEFORE'), {}, rotatingBank.webhookSecret, rotatingBank.id);
    expect(before.status).toBe(202);
    // Another instance rotates with no grace period: this one learns of it only from the table.
    const issuedElsewhere = generateWebhookSecret();
    await db.query(`UPDATE bank_webhook_secrets SET valid_until = now() - interval '1 second' WHERE bank_id = $1`, [rotatingBank.id]);
    await db.query(`INSERT INTO bank_webhook_secrets (bank_id, secret, created_at) VALUES ($1, $2, now())`, [
      rotatingBank.id,
      service.app.get(SecretSealer).seal(rotatingBank.id, issuedElsewhere),
    ]);
    const withEnded = await send(notification(INTEREST, creditLineId, 100, 'UTR-ENDED'), {}, rotatingBank.webhookSecret, rotatingBank.id);
    expect(withEnded).toMatchObject({ status: 401, body: { error: 'invalid_signature' } });
    const withIssued = await send(notification(INTEREST, creditLineId, 100, 'UTR-ISSUED'), {}, issuedElsewhere, rotatingBank.id);
    expect(withIssued.status).toBe(202);
    const again = await send(notification(INTEREST, creditLineId, 100, 'UTR-ENDED-2'), {}, rotatingBank.webhookSecret, rotatingBank.id);
    expect(again.status).toBe(401);
  });

  it('runs the bank part of the Sindhudurg story: a Rs 50,000 line drawn in full, charged, repaid by signed webhooks, available again', async () => {
    const sbi = await registerBank(api, 4);
    const networkId = randomUUID();
    await events.publish(Topics.groups, ...fundedNetwork(networkId, 1_250_000));
    const terms = {
      bankId: sbi.id,
      borrower: { type: 'network', id: networkId },
      annualInterestRateBps: 900,
      sanctionedOn: '2005-07-01',
      expiresOn: '2006-06-30',
    };
    const creditLineId = await sanctionWhenFunded(api, { ...terms, limit: 5_000_000 });
    expect(await api.post('/credit-lines', { ...terms, limit: 5_000_001 })).toMatchObject({
      status: 422,
      body: { error: 'limit_exceeds_drawing_power' },
    });
    const drawdown = await api.post(`/credit-lines/${creditLineId}/drawdowns`, {
      amount: 5_000_000,
      drawnOn: '2005-07-10',
      purpose: 'Cashew processing',
      bankReference: 'UTR0001',
    });
    expect(drawdown.status).toBe(201);
    expect(await creditLine(creditLineId)).toMatchObject({ limit: 5_000_000, drawn: 5_000_000, available: 0 });

    const settledDraw = signedDelivery(sbi.webhookSecret, notification(DRAWDOWN, creditLineId, 5_000_000, 'UTR0001', '2005-07-10'));
    const interest = signedDelivery(sbi.webhookSecret, notification(INTEREST, creditLineId, 37_500, 'INT0001', '2005-08-10'));
    const repayment = signedDelivery(sbi.webhookSecret, notification(REPAYMENT, creditLineId, 5_037_500, 'UTR0002', '2005-11-14'));
    const forgery = signedDelivery(
      `whsec_${Buffer.alloc(32, 9).toString('base64')}`,
      notification(DRAWDOWN, creditLineId, 5_000_000, 'UTR0666'),
    );
    const answers = [];
    for (const signed of [settledDraw, interest, interest, repayment, repayment, repayment, forgery])
      answers.push((await sendWebhook(api, sbi.id, signed)).status);
    expect(answers).toEqual([202, 202, 200, 202, 200, 200, 401]);

    await waitFor(async () =>
      expect(await creditLine(creditLineId)).toEqual({
        id: creditLineId,
        bankId: sbi.id,
        borrower: expect.any(Object),
        limit: 5_000_000,
        drawn: 0,
        available: 5_000_000,
        interestCharged: 37_500,
        interestPaid: 37_500,
        status: 'expired',
      }),
    );
    const types = await db.query(`SELECT type, data->'allocation' AS allocation FROM events WHERE stream_id = $1 ORDER BY stream_version`, [
      creditLineId,
    ]);
    expect(types.rows).toEqual([
      { type: 'CreditLineSanctioned', allocation: null },
      { type: 'CreditDrawn', allocation: null },
      { type: 'InterestCharged', allocation: null },
      { type: 'CreditRepaid', allocation: { interest: 37_500, principal: 5_000_000 } },
    ]);
    const published = await db.query(`SELECT type, data FROM events WHERE stream_id = ANY($1) OR data->>'bankId' = $2`, [
      [sbi.id, creditLineId],
      sbi.id,
    ]);
    expect(published.rows.map((e) => e.type)).toEqual(expect.arrayContaining(['BankRegistered', 'BankWebhookAccepted', 'CreditRepaid']));
    expect(contractViolations(published.rows, bankLinkageEventContracts)).toEqual([]);
  });
});
