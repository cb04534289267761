import { randomUUID } from 'node:crypto';
import type { Client } from 'pg';
import { lendingEventContracts } from '@sangam/contracts';
import { listDeadLetters, redriveDeadLetter, Topics, type DeadLetterEntry, type EventEnvelope } from '@sangam/messaging';
import {
  collectFromTopic,
  connectTestDatabase,
  contractViolations,
  envelopeOf,
  EventPublisher,
  httpClient,
  startService,
  testKafka,
  waitFor,
  type RunningService,
} from '@sangam/testing';
import { LendingModule } from '../src/lending.module';
import { GroupsFacts } from './groups-facts';
import { LendingApi, networkLoan } from './lending-api';

const databasePrefix = 'sangam_test_lending_saga';
const start = () => startService('lending', (config) => LendingModule.forRoot(config), { databasePrefix });

describe('loans funded from a credit line: the saga with bank-linkage over Kafka', () => {
  let service: RunningService;
  let publisher: EventPublisher;
  let db: Client;
  let api: LendingApi;
  let networkId: string;
  let shgId: string;

  const creditLineLoan = (creditLineId: string) =>
    networkLoan(networkId, shgId, { principal: 5_000_000, purpose: 'goat farming', funding: { source: 'credit-line', creditLineId } });

  /**
   * A loan waiting for bank-linkage, with its LoanDisbursementRequested read from the store. Tests
   * answer it at once: other bank-linkage deployments on a shared broker answer it too (an unknown
   * credit line to them), but only after it has been relayed, consumed and their answer relayed.
   */
  async function pendingLoan() {
    const creditLineId = randomUUID();
    const loanId = await api.approvedLoan(creditLineLoan(creditLineId));
    const correlationId = randomUUID();
    const answer = await api.post(`/loans/${loanId}/disbursement`, { disbursedOn: '2005-06-15' }, { 'x-correlation-id': correlationId });
    expect(answer).toEqual({ status: 202, body: { id: loanId, status: 'disbursement_pending' } });
    return { loanId, creditLineId, correlationId, request: await api.disbursementRequest(loanId) };
  }

  const creditDrawn = (request: EventEnvelope, data: Record<string, unknown> = {}) => {
    const asked = request.data as { loanId: string; creditLineId: string; amount: number };
    return envelopeOf({
      type: 'CreditDrawn',
      streamId: asked.creditLineId,
      correlationId: request.correlationId,
      causationId: request.eventId,
      data: {
        creditLineId: asked.creditLineId,
        drawdownId: randomUUID(),
        amount: asked.amount,
        drawnOn: '2005-06-15',
        purpose: 'goat farming',
        loanId: asked.loanId,
        bankReference: null,
        ...data,
      },
    });
  };

  // Bank-linkage keeps each refused request in a stream of its own, named by the request's event id.
  const drawRejected = (request: EventEnvelope, reason: string) => {
    const asked = request.data as { loanId: string; creditLineId: string; amount: number };
    return envelopeOf({
      type: 'CreditDrawRejected',
      streamId: request.eventId,
      correlationId: request.correlationId,
      causationId: request.eventId,
      data: { creditLineId: asked.creditLineId, loanId: asked.loanId, amount: asked.amount, reason, rejectedOn: '2005-06-15' },
    });
  };

  const allAnswersConsumed = async () =>
    api.waitUntilConsumed('lending.funding-answers', Topics.bankLinkage, await publisher.endOffsets(Topics.bankLinkage));

  beforeAll(async () => {
    service = await start();
    publisher = new EventPublisher();
    db = await connectTestDatabase(service.config.databaseName);
    api = new LendingApi(service.url, db);
    const groups = new GroupsFacts(publisher);
    networkId = await groups.network();
    shgId = await groups.shg();
    await groups.join(networkId, shgId);
    await api.waitForMembership(networkId, shgId, true);
  });

  afterAll(async () => {
    await service?.stop();
    await publisher?.close();
    await db?.end();
  });

  it('asks bank-linkage to draw, whatever is in the common fund, and is active once the draw happened', async () => {
    const { loanId, creditLineId, correlationId, request } = await pendingLoan();
    const [drawn] = await publisher.publish(Topics.bankLinkage, creditDrawn(request));
    const [published] = await collectFromTopic(
      Topics.lending,
      (seen) => seen.length === 1,
      (e) => e.eventId === request.eventId,
    );
    expect(published).toMatchObject({ type: 'LoanDisbursementRequested', streamId: loanId, correlationId });
    expect(published.data).toEqual({
      loanId,
      fundingSource: 'credit-line',
      creditLineId,
      amount: 5_000_000,
      purpose: 'goat farming',
      requestedOn: '2005-06-15',
      lender: { type: 'network', id: networkId },
      borrower: { type: 'shg', id: shgId },
    });

    const loan = await api.waitForStatus(loanId, 'active');
    expect(loan).toMatchObject({ disbursedOn: '2005-06-15', outstandingPrincipal: 5_000_000 });
    expect(loan.schedule[0]).toMatchObject({ dueOn: '2005-07-15', principal: 416_666, interest: 50_000 });

    const [disbursed] = await collectFromTopic(
      Topics.lending,
      (seen) => seen.length === 1,
      (e) => e.streamId === loanId && e.type === 'LoanDisbursed',
    );
    expect(disbursed).toMatchObject({ correlationId, causationId: drawn.eventId });
    expect(disbursed.data).toMatchObject({ funding: { source: 'credit-line', creditLineId, drawdownId: drawn.data.drawdownId } });
    expect(contractViolations([published, disbursed], lendingEventContracts)).toEqual([]);
  });

  it("fails the funding with bank-linkage's reason when the draw is rejected", async () => {
    const { loanId, request } = await pendingLoan();
    const [rejected] = await publisher.publish(Topics.bankLinkage, drawRejected(request, 'insufficient_credit'));
    expect(await api.waitForStatus(loanId, 'funding_failed')).toMatchObject({
      fundingFailureReason: 'insufficient_credit',
      outstandingPrincipal: 0,
    });
    const [failed] = await collectFromTopic(
      Topics.lending,
      (seen) => seen.length === 1,
      (e) => e.streamId === loanId && e.type === 'LoanFundingFailed',
    );
    expect(failed).toMatchObject({ causationId: rejected.eventId, data: { reason: 'insufficient_credit', amount: 5_000_000 } });
    expect(contractViolations([failed], lendingEventContracts)).toEqual([]);
  });

  it('disburses exactly once when answers are redelivered, duplicated or contradicted afterwards', async () => {
    const { loanId, request } = await pendingLoan();
    const drawn = creditDrawn(request);
    await publisher.publish(Topics.bankLinkage, drawn);
    await api.waitForStatus(loanId, 'active');
    await publisher.publish(
      Topics.bankLinkage,
      drawn,
      creditDrawn(request),
      drawRejected(request, 'credit_line_expired'),
      creditDrawn(request, { loanId: null }),
    );
    await allAnswersConsumed();
    expect(await api.storedEventTypes(loanId)).toEqual(['LoanApplied', 'LoanApproved', 'LoanDisbursementRequested', 'LoanDisbursed']);
    const { rows } = await db.query(
      `SELECT metadata->>'causationId' AS cause FROM events WHERE stream_id = $1 AND type = 'LoanDisbursed'`,
      [loanId],
    );
    expect(rows).toEqual([{ cause: drawn.eventId }]);
  });

  it('ignores answers for loans it does not know', async () => {
    const creditLineId = randomUUID();
    const stranger = randomUUID();
    await publisher.publish(Topics.bankLinkage, {
      type: 'CreditDrawn',
      streamId: creditLineId,
      data: {
        creditLineId,
        drawdownId: randomUUID(),
        amount: 100,
        drawnOn: '2005-06-15',
        purpose: 'x',
        loanId: stranger,
        bankReference: null,
      },
    });
    await allAnswersConsumed();
    expect(await api.storedEventTypes(stranger)).toEqual([]);
  });

  it('finishes the saga once when the answer comes while lending is down', async () => {
    const { loanId, request } = await pendingLoan();
    await service.stop();
    // A refusal, because any answer from another bank-linkage deployment sharing the broker is one too.
    const [rejected] = await publisher.publish(Topics.bankLinkage, drawRejected(request, 'insufficient_credit'));
    service = await start();
    api = new LendingApi(service.url, db);
    await api.waitForStatus(loanId, 'funding_failed');
    await publisher.publish(Topics.bankLinkage, rejected);
    await allAnswersConsumed();
    expect(await api.storedEventTypes(loanId)).toEqual(['LoanApplied', 'LoanApproved', 'LoanDisbursementRequested', 'LoanFundingFailed']);
  });

  it('takes no repayment before the loan is funded', async () => {
    const { loanId } = await pendingLoan();
    expect(await api.post(`/loans/${loanId}/repayments`, { amount: 100, paidOn: '2005-07-15' })).toMatchObject({
      status: 422,
      body: { error: 'loan_not_active' },
    });
  });

  it('shows operators, and counts in a metric, a loan whose money has not been answered in time', async () => {
    const { loanId } = await pendingLoan();
    const operator = httpClient(service.url, 'operator1');
    const waiting = await waitFor(async () => {
      const { status, body } = await operator.get('/disbursements/waiting?olderThanSeconds=0');
      expect(status).toBe(200);
      expect(body.map((w: { loanId: string }) => w.loanId)).toContain(loanId);
      return body.find((w: { loanId: string }) => w.loanId === loanId);
    });
    expect(waiting).toMatchObject({ fundingSource: 'credit-line', waitingSeconds: expect.any(Number) });
    expect((await operator.get('/disbursements/waiting')).body.map((w: { loanId: string }) => w.loanId)).not.toContain(loanId);
    expect((await httpClient(service.url, 'field1').get('/disbursements/waiting')).status).toBe(403);
    expect(await (await fetch(`${service.url}/metrics`)).text()).toMatch(/sangam_disbursements_waiting_too_long \d+/);
  });

  it('shows operators a saga stuck on a dead-lettered answer, and finishes it once the answer is re-driven', async () => {
    const { loanId, request } = await pendingLoan();
    const operator = httpClient(service.url, 'operator1');
    const waitingLoans = async () =>
      (await operator.get('/disbursements/waiting?olderThanSeconds=0')).body.map((w: { loanId: string }) => w.loanId);
    // For a while lending cannot record this loan's disbursement (a fault of its own), so the answer fails every attempt.
    const refuse = `refuse_${loanId.replace(/-/g, '_')}`;
    await db.query(
      `CREATE FUNCTION ${refuse}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'lending cannot write this loan'; END $$`,
    );
    await db.query(
      `CREATE TRIGGER ${refuse} BEFORE INSERT ON events FOR EACH ROW WHEN (NEW.stream_id = '${loanId}') EXECUTE FUNCTION ${refuse}()`,
    );
    let deadLetter: DeadLetterEntry | undefined;
    try {
      const [drawn] = await publisher.publish(Topics.bankLinkage, creditDrawn(request));
      deadLetter = await waitFor(async () => {
        const entry = (await listDeadLetters(testKafka(), [Topics.bankLinkage])).find((e) => e.eventId === drawn.eventId);
        expect(entry).toMatchObject({ error: expect.stringContaining('lending cannot write this loan') });
        return entry!;
      }, 60_000);
    } finally {
      await db.query(`DROP TRIGGER ${refuse} ON events; DROP FUNCTION ${refuse}()`);
    }
    expect(await api.storedEventTypes(loanId)).toEqual(['LoanApplied', 'LoanApproved', 'LoanDisbursementRequested']);
    expect(await waitingLoans()).toContain(loanId);

    // What `npm run dlq -- redrive <id>` does.
    await redriveDeadLetter(testKafka(), deadLetter);
    await api.waitForStatus(loanId, 'active');
    expect(await waitingLoans()).not.toContain(loanId);
    expect(await api.storedEventTypes(loanId)).toEqual(['LoanApplied', 'LoanApproved', 'LoanDisbursementRequested', 'LoanDisbursed']);
  });
});
