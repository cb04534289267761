import { randomUUID } from 'node:crypto';
import type { Client } from 'pg';
import { Topics } from '@sangam/messaging';
import { connectTestDatabase, EventPublisher, startService, type RunningService } from '@sangam/testing';
import { LendingModule } from '../src/lending.module';
import { GroupsFacts } from './groups-facts';
import { LendingApi, memberLoan, networkLoan } from './lending-api';

/**
 * The lending part of the Sindhudurg story, through the API. Groups' facts are published as the
 * groups service publishes them, and bank-linkage's answers to draw requests likewise (at once,
 * from the committed request: see the saga suite).
 */
describe('the Sindhudurg story: lending', () => {
  let service: RunningService;
  let publisher: EventPublisher;
  let db: Client;
  let api: LendingApi;
  let network: string;
  let jaiBhavani: string;
  let mahalaxmi: string;
  let outsider: string;
  let sunita: string;
  let groups: GroupsFacts;
  const cashCredit = randomUUID();

  beforeAll(async () => {
    service = await startService('lending', (config) => LendingModule.forRoot(config), { databasePrefix: 'sangam_test_lending_story' });
    publisher = new EventPublisher();
    db = await connectTestDatabase(service.config.databaseName);
    api = new LendingApi(service.url, db);
    groups = new GroupsFacts(publisher);
    network = await groups.network(30_000);
    jaiBhavani = await groups.shg('Jai Bhavani SHG');
    mahalaxmi = await groups.shg('Mahalaxmi SHG');
    outsider = await groups.shg('Ganesh SHG');
    sunita = await groups.member(jaiBhavani, 'Sunita Parab');
    const rekha = await groups.member(mahalaxmi, 'Rekha Naik');
    await groups.deposit(jaiBhavani, sunita, 600_000);
    await groups.deposit(mahalaxmi, rekha, 400_000);
    for (const shg of [jaiBhavani, mahalaxmi]) {
      await groups.join(network, shg);
      await groups.payFee(network, shg, 30_000);
    }
    await groups.contribute(network, jaiBhavani, 200_000);
    await groups.contribute(network, mahalaxmi, 200_000);
    await api.waitForMembership(network, mahalaxmi, true);
    await api.waitForMember(sunita);
    await api.waitForAvailable('network', network, 460_000);
  });

  afterAll(async () => {
    await service?.stop();
    await publisher?.close();
    await db?.end();
  });

  it('funds the goat-farming loan to Jai Bhavani from the cash credit and takes its first installment', async () => {
    const goats = await api.approvedLoan(
      networkLoan(network, jaiBhavani, {
        principal: 24_000_000,
        termMonths: 24,
        purpose: 'goat farming',
        funding: { source: 'credit-line', creditLineId: cashCredit },
      }),
      '2005-10-20',
    );
    expect(await api.post(`/loans/${goats}/disbursement`, { disbursedOn: '2005-10-31' })).toMatchObject({
      status: 202,
      body: { status: 'disbursement_pending' },
    });
    const request = await api.disbursementRequest(goats);
    await publisher.publish(Topics.bankLinkage, {
      type: 'CreditDrawn',
      streamId: cashCredit,
      correlationId: request.correlationId,
      causationId: request.eventId,
      data: {
        creditLineId: cashCredit,
        drawdownId: randomUUID(),
        amount: 24_000_000,
        drawnOn: '2005-10-31',
        purpose: 'goat farming',
        loanId: goats,
        bankReference: 'UTR0001',
      },
    });
    const active = await api.waitForStatus(goats, 'active');
    expect(active.schedule.slice(0, 4).map((i: any) => i.dueOn)).toEqual(['2005-11-30', '2005-12-31', '2006-01-31', '2006-02-28']);
    expect(active.schedule[0]).toMatchObject({ principal: 1_000_000, interest: 240_000 });

    expect(await api.post(`/loans/${goats}/repayments`, { amount: 1_240_000, paidOn: '2005-11-30' })).toMatchObject({
      status: 201,
      body: { allocation: { interest: 240_000, principal: 1_000_000 } },
    });
    expect((await api.loan(goats, '2005-12-31')).body).toMatchObject({ outstandingPrincipal: 23_000_000, daysPastDue: 0 });
    expect((await api.loan(goats, '2006-01-10')).body.daysPastDue).toBe(10);
    await api.waitForAvailable('network', network, 460_000);
  });

  it('lends Mahalaxmi for traditional products from the common fund; a late repayment pays interest due first', async () => {
    const kokum = await api.approvedLoan(
      networkLoan(network, mahalaxmi, { principal: 400_000, termMonths: 10, purpose: 'kokum and cashew processing' }),
      '2005-11-01',
    );
    expect(await api.post(`/loans/${kokum}/disbursement`, { disbursedOn: '2005-11-05' })).toMatchObject({
      status: 202,
      body: { status: 'active' },
    });
    await api.waitForAvailable('network', network, 60_000);

    expect(await api.post(`/loans/${kokum}/repayments`, { amount: 50_000, paidOn: '2006-01-06' })).toMatchObject({
      status: 201,
      body: { allocation: { interest: 8_000, principal: 42_000 } },
    });
    const { body } = await api.loan(kokum, '2006-01-06');
    expect(body).toMatchObject({ outstandingPrincipal: 358_000, interestPaid: 8_000, daysPastDue: 1 });
    expect(body.schedule[1]).toMatchObject({ paidInterest: 4_000, paidPrincipal: 2_000 });
    expect((await api.loan(kokum, '2006-02-06')).body.daysPastDue).toBe(32);
    await api.waitForAvailable('network', network, 110_000);
  });

  it('lets Jai Bhavani lend Sunita from its savings once groups, who owns them, has lent them', async () => {
    const loan = await api.approvedLoan(
      memberLoan(jaiBhavani, sunita, { principal: 300_000, interestMethod: 'flat', termMonths: 6, purpose: 'tailoring' }),
      '2005-12-01',
    );
    expect(await api.post(`/loans/${loan}/disbursement`, { disbursedOn: '2005-12-01' })).toMatchObject({
      status: 202,
      body: { status: 'disbursement_pending' },
    });
    await groups.lendSavings(jaiBhavani, loan, sunita, 300_000, '2005-12-01');
    await api.waitForStatus(loan, 'active');
    expect(await api.post(`/loans/${loan}/repayments`, { amount: 56_000, paidOn: '2006-01-01' })).toMatchObject({
      status: 201,
      body: { allocation: { interest: 6_000, principal: 50_000 } },
    });
  });

  it("answers every bad case with the contract's error", async () => {
    expect(await api.post('/loans', networkLoan(network, outsider))).toMatchObject({
      status: 422,
      body: { error: 'borrower_not_in_network' },
    });
    expect(await api.post('/loans', memberLoan(mahalaxmi, sunita))).toMatchObject({ status: 422, body: { error: 'borrower_not_in_shg' } });

    const tooBig = await api.approvedLoan(networkLoan(network, jaiBhavani, { principal: 110_001 }));
    expect(await api.post(`/loans/${tooBig}/disbursement`, { disbursedOn: '2006-01-10' })).toMatchObject({
      status: 422,
      body: { error: 'insufficient_funds' },
    });
    expect(await api.post(`/loans/${tooBig}/repayments`, { amount: 1_000, paidOn: '2006-01-10' })).toMatchObject({
      status: 422,
      body: { error: 'loan_not_active' },
    });

    const expired = await api.approvedLoan(
      networkLoan(network, jaiBhavani, { funding: { source: 'credit-line', creditLineId: cashCredit } }),
    );
    await api.post(`/loans/${expired}/disbursement`, { disbursedOn: '2006-01-10' });
    const request = await api.disbursementRequest(expired);
    await publisher.publish(Topics.bankLinkage, {
      type: 'CreditDrawRejected',
      streamId: request.eventId,
      correlationId: request.correlationId,
      causationId: request.eventId,
      data: { creditLineId: cashCredit, loanId: expired, amount: 1_000_000, reason: 'credit_line_expired', rejectedOn: '2006-01-10' },
    });
    expect(await api.waitForStatus(expired, 'funding_failed')).toMatchObject({ fundingFailureReason: 'credit_line_expired' });

    const { body: tiny } = await api.post('/loans', networkLoan(network, mahalaxmi, { principal: 10_000, termMonths: 1 }));
    await api.post(`/loans/${tiny.id}/approval`, { approvedOn: '2006-01-10' });
    await api.post(`/loans/${tiny.id}/disbursement`, { disbursedOn: '2006-01-10' });
    expect(await api.post(`/loans/${tiny.id}/repayments`, { amount: 10_101, paidOn: '2006-02-10' })).toMatchObject({
      status: 422,
      body: { error: 'loan_overpayment' },
    });
    expect(await api.post(`/loans/${tiny.id}/repayments`, { amount: 10_100, paidOn: '2006-02-10' })).toMatchObject({ status: 201 });
    expect((await api.loan(tiny.id)).body.status).toBe('closed');
  });
});
