import { randomUUID } from 'node:crypto';
import { Topics } from '@sangam/messaging';
import {
  connectTestDatabase,
  devUserId,
  EventPublisher,
  httpClient,
  startService,
  waitFor,
  type HttpClient,
  type RunningService,
} from '@sangam/testing';
import type { Client } from 'pg';
import { LendingModule } from '../apps/lending/src/lending.module';
import {
  fundedNetwork,
  notification,
  registerBank,
  sanctionWhenFunded,
  sendWebhook,
  signedDelivery,
  startBankLinkage,
} from '../apps/bank-linkage/test/bank-linkage.test-kit';

const databasePrefix = 'sangam_test_credit_saga';

/** Lending and bank-linkage together over Kafka: a loan funded from a cash-credit line. */
describe('a loan funded from a credit line, across lending and bank-linkage', () => {
  let bankLinkage: RunningService;
  let lending: RunningService;
  let bank: HttpClient;
  let loans: HttpClient;
  /** Four eyes: admin records the applications, approver1 (granted the network) decides them. */
  let approver: HttpClient;
  let bankDb: Client;
  const events = new EventPublisher();
  const networkId = randomUUID();
  const shgId = randomUUID();
  let creditLineId: string;
  let sbi: { id: string; webhookSecret: string };

  beforeAll(async () => {
    [bankLinkage, lending] = await Promise.all([
      startBankLinkage(databasePrefix),
      startService('lending', (config) => LendingModule.forRoot(config), { databasePrefix }),
    ]);
    bank = httpClient(bankLinkage.url);
    loans = httpClient(lending.url);
    approver = httpClient(lending.url, 'approver1');
    bankDb = await connectTestDatabase(bankLinkage.config.databaseName);
    await events.publish(
      Topics.groups,
      ...fundedNetwork(networkId, 1_250_000),
      { type: 'ShgFormed', streamId: shgId, data: { shgId, name: 'Jai Bhavani SHG', village: 'Pinguli', formedOn: '2004-06-01' } },
      { type: 'ShgJoinedNetwork', streamId: networkId, data: { networkId, shgId, joinedOn: '2005-04-15' } },
      { type: 'AccessGranted', streamId: networkId, data: { objectType: 'network', objectId: networkId, userId: devUserId('approver1') } },
    );
    sbi = await registerBank(bank, 4);
    creditLineId = await sanctionWhenFunded(bank, {
      bankId: sbi.id,
      borrower: { type: 'network', id: networkId },
      limit: 5_000_000,
      annualInterestRateBps: 900,
      sanctionedOn: '2005-05-01',
      expiresOn: '2008-04-30',
    });
  });

  afterAll(async () => {
    await events.close();
    await bankDb?.end();
    await Promise.all([bankLinkage?.stop(), lending?.stop()]);
  });

  async function disburseFromLine(principal: number): Promise<string> {
    const terms = {
      lender: { type: 'network', id: networkId },
      borrower: { type: 'shg', id: shgId },
      principal,
      annualInterestRateBps: 1200,
      termMonths: 12,
      interestMethod: 'flat',
      purpose: 'Dairy',
      funding: { source: 'credit-line', creditLineId },
    };
    const applied = await waitFor(async () => {
      const answer = await loans.post('/loans', terms);
      expect(answer.status).toBe(201);
      return answer;
    });
    const loanId = applied.body.id;
    // Lending learns of approver1's grant from groups' events.
    await waitFor(async () => expect((await approver.post(`/loans/${loanId}/approval`, { approvedOn: '2005-06-01' })).status).toBe(201));
    expect((await approver.post(`/loans/${loanId}/disbursement`, { disbursedOn: '2005-06-15' })).status).toBe(202);
    return loanId;
  }

  const loanStatus = (loanId: string, status: string) =>
    waitFor(async () => {
      const { body } = await loans.get(`/loans/${loanId}`);
      expect(body.status).toBe(status);
      return body;
    });

  it('draws the line for the loan, which becomes active', async () => {
    const loanId = await disburseFromLine(3_000_000);
    await loanStatus(loanId, 'active');
    expect((await bank.get(`/credit-lines/${creditLineId}`)).body).toMatchObject({ drawn: 3_000_000, available: 2_000_000 });
    const { rows } = await bankDb.query(`SELECT data->>'loanId' AS loan FROM events WHERE stream_id = $1 AND type = 'CreditDrawn'`, [
      creditLineId,
    ]);
    expect(rows).toEqual([{ loan: loanId }]);
  });

  it('rejects an oversized loan with CreditDrawRejected, and the loan becomes funding_failed', async () => {
    const loanId = await disburseFromLine(2_000_001);
    await loanStatus(loanId, 'funding_failed');
    const { rows } = await bankDb.query(
      `SELECT data->>'reason' AS reason FROM events WHERE type = 'CreditDrawRejected' AND data->>'loanId' = $1`,
      [loanId],
    );
    expect(rows).toEqual([{ reason: 'insufficient_credit' }]);
    expect((await bank.get(`/credit-lines/${creditLineId}`)).body).toMatchObject({ drawn: 3_000_000 });
  });

  it("settles the loan's drawdown when the bank's webhook reports it, instead of drawing it twice", async () => {
    const loanId = await disburseFromLine(1_000_000);
    await loanStatus(loanId, 'active');
    const settlement = signedDelivery(
      sbi.webhookSecret,
      notification('credit_line.drawdown.settled', creditLineId, 1_000_000, 'UTR-LOAN-1', '2005-06-16'),
    );
    expect((await sendWebhook(bank, sbi.id, settlement)).status).toBe(202);
    const settled = await waitFor(async () => {
      const { rows } = await bankDb.query(
        `SELECT s.data->>'bankReference' AS reference, d.data->>'loanId' AS loan
           FROM events s JOIN events d ON d.stream_id = s.stream_id AND d.type = 'CreditDrawn' AND d.data->>'drawdownId' = s.data->>'drawdownId'
          WHERE s.stream_id = $1 AND s.type = 'CreditDrawSettled'`,
        [creditLineId],
      );
      expect(rows).toHaveLength(1);
      return rows[0];
    });
    expect(settled).toEqual({ reference: 'UTR-LOAN-1', loan: loanId });
    expect((await sendWebhook(bank, sbi.id, settlement)).status).toBe(200);
    expect((await bank.get(`/credit-lines/${creditLineId}`)).body).toMatchObject({ drawn: 4_000_000, available: 1_000_000 });
    const { rows } = await bankDb.query(`SELECT status FROM webhook_deliveries WHERE bank_id = $1`, [sbi.id]);
    expect(rows).toEqual([{ status: 'processed' }]);
  });
});
