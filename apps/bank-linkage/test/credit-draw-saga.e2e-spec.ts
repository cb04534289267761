import { randomUUID } from 'node:crypto';
import { bankLinkageEventContracts } from '@sangam/contracts';
import { Topics, type EventEnvelope } from '@sangam/messaging';
import {
  collectFromTopic,
  connectTestDatabase,
  contractViolations,
  EventPublisher,
  httpClient,
  waitFor,
  type HttpClient,
  type RunningService,
} from '@sangam/testing';
import type { Client } from 'pg';
import { registerBank, sanctionedLine, startBankLinkage } from './bank-linkage.test-kit';

interface Answer {
  type: string;
  stream_id: string;
  data: Record<string, any>;
  metadata: { correlationId: string; causationId: string };
}

describe('the credit-line funding saga with lending', () => {
  let service: RunningService;
  let api: HttpClient;
  let db: Client;
  const events = new EventPublisher();
  let bankId: string;

  beforeAll(async () => {
    service = await startBankLinkage('sangam_test_bank_saga');
    api = httpClient(service.url);
    db = await connectTestDatabase(service.config.databaseName);
    bankId = (await registerBank(api, 0)).id;
  });

  afterAll(async () => {
    await events.close();
    await db.end();
    await service.stop();
  });

  const requestDisbursement = (creditLineId: string, lender: { type: string; id: string }, amount: number, requestedOn = '2005-08-01') => {
    const loanId = randomUUID();
    return {
      type: 'LoanDisbursementRequested',
      streamId: loanId,
      data: {
        loanId,
        fundingSource: 'credit-line',
        creditLineId,
        amount,
        borrower: { type: 'shg', id: randomUUID() },
        lender,
        purpose: 'Dairy',
        requestedOn,
      },
    };
  };

  const answersTo = async (requestEventId: string): Promise<Answer[]> =>
    (await db.query(`SELECT type, stream_id, data, metadata FROM events WHERE metadata->>'causationId' = $1`, [requestEventId])).rows;

  const answerTo = (request: EventEnvelope) =>
    waitFor(async () => {
      const [answer] = await answersTo(request.eventId);
      expect(answer).toBeDefined();
      expect(answer.metadata).toEqual({
        correlationId: request.correlationId,
        causationId: request.eventId,
        actor: { service: 'bank-linkage' },
      });
      expect(contractViolations([answer], bankLinkageEventContracts)).toEqual([]);
      return answer;
    });

  /** The saga consumer has stored its checkpoint past this message: whatever it answers is committed. */
  const consumedPast = (message: { partition: number; offset: string }) =>
    waitFor(async () => {
      const { rows } = await db.query(
        `SELECT next_offset FROM consumer_checkpoints WHERE consumer = 'fund-loan-disbursement' AND topic = $1 AND partition = $2`,
        [Topics.lending, message.partition],
      );
      expect(BigInt(rows[0]?.next_offset ?? -1)).toBeGreaterThan(BigInt(message.offset));
    });

  it('draws on the line for a loan its holder funds from it, naming the loan, and publishes CreditDrawn', async () => {
    const { creditLineId, networkId } = await sanctionedLine(api, events, bankId, 500_000);
    const [request] = await events.publish(Topics.lending, requestDisbursement(creditLineId, { type: 'network', id: networkId }, 200_000));
    const answer = await answerTo(request);
    expect(answer).toMatchObject({
      type: 'CreditDrawn',
      stream_id: creditLineId,
      data: { creditLineId, amount: 200_000, drawnOn: '2005-08-01', purpose: 'Dairy', loanId: request.data.loanId, bankReference: null },
    });
    expect((await api.get(`/credit-lines/${creditLineId}`)).body).toMatchObject({ drawn: 200_000, available: 300_000 });
    const [published] = await collectFromTopic(
      Topics.bankLinkage,
      (seen) => seen.length > 0,
      (e) => e.type === 'CreditDrawn' && e.causationId === request.eventId,
    );
    expect(published).toMatchObject({
      streamId: creditLineId,
      correlationId: request.correlationId,
      data: { loanId: request.data.loanId },
    });
  });

  it('reads a request lending published before it named fundingSource (schemaVersion 1) as one for a credit line, and draws', async () => {
    const { creditLineId, networkId } = await sanctionedLine(api, events, bankId, 500_000);
    const current = requestDisbursement(creditLineId, { type: 'network', id: networkId }, 150_000);
    const { fundingSource, ...v1 } = current.data;
    expect(fundingSource).toBe('credit-line');
    const [request] = await events.publish(Topics.lending, { ...current, schemaVersion: 1, data: v1 });
    const answer = await answerTo(request);
    expect(answer).toMatchObject({
      type: 'CreditDrawn',
      stream_id: creditLineId,
      data: { creditLineId, amount: 150_000, loanId: v1.loanId },
    });
  });

  it.each([
    ['insufficient_credit', 'asks for more than is available', { amount: 500_001 }],
    ['credit_line_expired', 'asks after the expiry date', { requestedOn: '2075-07-01' }],
    ['date_out_of_order', 'asks for a disbursement dated before the line was sanctioned', { requestedOn: '2005-06-30' }],
    ['credit_line_not_held_by_lender', 'names a lender that does not hold the line', { lender: { type: 'network', id: randomUUID() } }],
    ['unknown_credit_line', 'names an unknown line', { creditLineId: randomUUID() }],
  ])('rejects with %s a request that %s, on a stream of its own, drawing nothing', async (reason, _, change) => {
    const { creditLineId, networkId } = await sanctionedLine(api, events, bankId, 500_000);
    const base = requestDisbursement(creditLineId, { type: 'network', id: networkId }, 100_000);
    const data = { ...base.data, ...change };
    const [request] = await events.publish(Topics.lending, { ...base, data });
    const answer = await answerTo(request);
    expect(answer).toMatchObject({
      type: 'CreditDrawRejected',
      stream_id: request.eventId,
      data: { creditLineId: data.creditLineId, loanId: data.loanId, amount: data.amount, reason, rejectedOn: data.requestedOn },
    });
    expect((await api.get(`/credit-lines/${creditLineId}`)).body.drawn).toBe(0);
  });

  it('answers a redelivered request exactly once, whether it drew or was rejected', async () => {
    const { creditLineId, networkId } = await sanctionedLine(api, events, bankId, 500_000);
    const lender = { type: 'network', id: networkId };
    const [draw] = await events.publish(Topics.lending, requestDisbursement(creditLineId, lender, 400_000));
    const [rejected] = await events.publish(Topics.lending, requestDisbursement(randomUUID(), lender, 400_000));
    const redelivered = await events.publish(Topics.lending, draw, draw, rejected, rejected);
    for (const message of redelivered) await consumedPast(message);
    expect((await answersTo(draw.eventId)).map((a) => a.type)).toEqual(['CreditDrawn']);
    expect((await answersTo(rejected.eventId)).map((a) => a.type)).toEqual(['CreditDrawRejected']);
    expect((await api.get(`/credit-lines/${creditLineId}`)).body.drawn).toBe(400_000);
  });
});
