import { randomUUID } from 'node:crypto';
import { PostgresEventStore } from '@sangam/event-store';
import { EventPublisher, httpClient, waitFor, type HttpClient, type RunningService } from '@sangam/testing';
import { CREDIT_LINE_STREAM_TYPE } from '../src/credit-lines/domain/credit-line.events';
import { notification, registerBank, sanctionedLine, sendWebhook, signedDelivery, startBankLinkage } from './bank-linkage.test-kit';

const MAX = Number.MAX_SAFE_INTEGER;
const E12 = 1_000_000_000_000;
const outcome = (answer: { status: number; body: { error?: string } }) => [answer.status, answer.body.error];

describe('bank-linkage: dates in order and sums a credit line can state', () => {
  let service: RunningService;
  let api: HttpClient;
  const events = new EventPublisher();
  let bank: { id: string; webhookSecret: string };

  beforeAll(async () => {
    service = await startBankLinkage('sangam_test_bank_dates');
    api = httpClient(service.url);
    bank = await registerBank(api, 0);
  });

  afterAll(async () => {
    await events.close();
    await service.stop();
  });

  /** A line sanctioned on 2005-07-01. */
  const line = async () => (await sanctionedLine(api, events, bank.id, 1_000_000)).creditLineId;
  const failedDelivery = (id: string) =>
    waitFor(async () => {
      const { body } = await api.get('/webhooks/deliveries?status=failed&limit=1000');
      const found = body.find((d: { id: string }) => d.id === id);
      expect(found).toBeDefined();
      return found;
    });

  it('refuses a drawdown dated before the sanction, and a repayment of principal before the first drawdown, with 422 date_out_of_order', async () => {
    const creditLineId = await line();
    const early = await api.post(`/credit-lines/${creditLineId}/drawdowns`, { amount: 1_000, drawnOn: '2005-06-30', purpose: 'Rice mill' });
    expect(outcome(early)).toEqual([422, 'date_out_of_order']);
    expect(early.body.message).toContain('2005-07-01');
    expect(
      (await api.post(`/credit-lines/${creditLineId}/drawdowns`, { amount: 1_000, drawnOn: '2005-07-10', purpose: 'Rice mill' })).status,
    ).toBe(201);
    expect(outcome(await api.post(`/credit-lines/${creditLineId}/repayments`, { amount: 500, repaidOn: '2005-07-09' }))).toEqual([
      422,
      'date_out_of_order',
    ]);
    expect((await api.post(`/credit-lines/${creditLineId}/repayments`, { amount: 500, repaidOn: '2005-07-10' })).status).toBe(201);
    expect((await api.get(`/credit-lines/${creditLineId}`)).body).toMatchObject({ drawn: 500 });
  });

  it('refuses dates outside the range with 400 validation_failed: a sanction more than 50 years ahead of its expiry, a drawdown before 1980', async () => {
    const creditLineId = await line();
    const drawn = await api.post(`/credit-lines/${creditLineId}/drawdowns`, { amount: 1, drawnOn: '1979-12-31', purpose: 'Rice mill' });
    expect(drawn).toMatchObject({
      status: 400,
      body: { error: 'validation_failed', details: [expect.objectContaining({ field: 'drawnOn' })] },
    });
    const fiftyOneYears = `${new Date().getUTCFullYear() + 51}-01-01`;
    const sanction = await api.post('/credit-lines', {
      bankId: bank.id,
      borrower: { type: 'network', id: randomUUID() },
      limit: 1,
      annualInterestRateBps: 0,
      sanctionedOn: '2005-07-01',
      expiresOn: fiftyOneYears,
    });
    expect(sanction).toMatchObject({
      status: 400,
      body: { error: 'validation_failed', details: [expect.objectContaining({ field: 'expiresOn' })] },
    });
  });

  it('fails a bank notice of interest charged before the sanction with date_out_of_order, for operators to see', async () => {
    const creditLineId = await line();
    const answer = await sendWebhook(
      api,
      bank.id,
      signedDelivery(
        bank.webhookSecret,
        notification('credit_line.interest.charged', creditLineId, 100, `INT-${randomUUID()}`, '2005-06-30'),
      ),
    );
    expect(answer.status).toBe(202);
    expect((await failedDelivery(answer.body.id)).error).toMatchObject({ code: 'date_out_of_order' });
  });

  it('fails a notice of interest that would take the interest charged past 2^53 - 1 paise with amount_too_large, and still answers GET', async () => {
    const creditLineId = await line();
    const store = service.app.get(PostgresEventStore);
    const charges = Math.floor((MAX - E12) / E12);
    const expectedVersion = (await store.readStream(creditLineId)).length;
    // History for this test only: marked sent as it is appended, so it stays off the shared topic every fresh test consumer reads from offset 0.
    await store.transaction(async (manager) => {
      const appended = await store.appendInTransaction(
        manager,
        {
          streamId: creditLineId,
          streamType: CREDIT_LINE_STREAM_TYPE,
          expectedVersion,
          events: Array.from({ length: charges }, () => ({
            type: 'InterestCharged',
            data: { creditLineId, amount: E12, chargedOn: '2005-09-30', bankReference: null },
          })),
        },
        { correlationId: randomUUID(), causationId: null, actor: { bankId: bank.id } },
      );
      await manager.query(`UPDATE outbox SET published_at = now() WHERE position = ANY($1::bigint[])`, [
        appended.events.map((e) => e.position),
      ]);
      return { events: [] };
    });
    const send = (amount: number) =>
      sendWebhook(
        api,
        bank.id,
        signedDelivery(bank.webhookSecret, notification('credit_line.interest.charged', creditLineId, amount, `INT-${randomUUID()}`)),
      );
    const lastThatFits = await send(E12);
    await waitFor(async () => expect((await api.get(`/credit-lines/${creditLineId}`)).body.interestCharged).toBe((charges + 1) * E12));
    const refused = await send(E12);
    expect((await failedDelivery(refused.body.id)).error).toMatchObject({ code: 'amount_too_large' });
    expect(lastThatFits.status).toBe(202);
    const answered = await api.get(`/credit-lines/${creditLineId}`);
    expect(answered).toMatchObject({ status: 200, body: { interestCharged: (charges + 1) * E12 } });
  }, 60_000);
});
