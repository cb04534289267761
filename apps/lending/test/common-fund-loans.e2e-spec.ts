import { randomUUID } from 'node:crypto';
import type { Client } from 'pg';
import { lendingEventContracts } from '@sangam/contracts';
import { Topics } from '@sangam/messaging';
import {
  collectFromTopic,
  connectTestDatabase,
  contractViolations,
  EventPublisher,
  startService,
  type RunningService,
} from '@sangam/testing';
import { LendingModule } from '../src/lending.module';
import { GroupsFacts } from './groups-facts';
import { LendingApi, networkLoan } from './lending-api';

describe('network loans from the common fund, against Postgres and Kafka', () => {
  let service: RunningService;
  let publisher: EventPublisher;
  let db: Client;
  let api: LendingApi;
  let groups: GroupsFacts;
  let networkId: string;
  let memberShg: string;

  beforeAll(async () => {
    service = await startService('lending', (config) => LendingModule.forRoot(config), { databasePrefix: 'sangam_test_lending_fund' });
    publisher = new EventPublisher();
    db = await connectTestDatabase(service.config.databaseName);
    api = new LendingApi(service.url, db);
    groups = new GroupsFacts(publisher);
    networkId = await groups.network();
    memberShg = await groups.shg();
    const saver = await groups.member(memberShg);
    await groups.join(networkId, memberShg);
    await groups.deposit(memberShg, saver, 1_500_000);
    await groups.payFee(networkId, memberShg, 30_000);
    await groups.contribute(networkId, memberShg, 1_000_000);
    await api.waitForMembership(networkId, memberShg, true);
    await api.waitForAvailable('network', networkId, 1_030_000);
  });

  afterAll(async () => {
    await service?.stop();
    await publisher?.close();
    await db?.end();
  });

  describe('a loan from fees and pooled savings', () => {
    let firstLoan: string;
    let secondLoan: string;

    it('goes applied, approved, then active at once with the contract schedule', async () => {
      const applied = await api.post('/loans', networkLoan(networkId, memberShg));
      expect(applied.status).toBe(201);
      firstLoan = applied.body.id;
      expect((await api.loan(firstLoan)).body).toMatchObject({ status: 'applied', schedule: [], outstandingPrincipal: 0 });

      expect(await api.post(`/loans/${firstLoan}/approval`, { approvedOn: '2005-06-10' })).toEqual({
        status: 201,
        body: { id: firstLoan, status: 'approved' },
      });
      expect(await api.post(`/loans/${firstLoan}/disbursement`, { disbursedOn: '2005-06-15' })).toEqual({
        status: 202,
        body: { id: firstLoan, status: 'active' },
      });

      const { body } = await api.loan(firstLoan, '2005-06-20');
      expect(body).toMatchObject({
        id: firstLoan,
        status: 'active',
        lender: { type: 'network', id: networkId },
        borrower: { type: 'shg', id: memberShg },
        principal: 1_000_000,
        outstandingPrincipal: 1_000_000,
        interestPaid: 0,
        principalPaid: 0,
        daysPastDue: 0,
      });
      expect(body.schedule).toHaveLength(12);
      expect(body.schedule[0]).toEqual({
        number: 1,
        dueOn: '2005-07-15',
        principal: 83_333,
        interest: 10_000,
        paidPrincipal: 0,
        paidInterest: 0,
      });
      expect(body.schedule[11]).toEqual({
        number: 12,
        dueOn: '2006-06-15',
        principal: 83_337,
        interest: 10_000,
        paidPrincipal: 0,
        paidInterest: 0,
      });
    });

    it('refuses a repayment dated before the disbursement with 422 date_out_of_order, and records nothing', async () => {
      const early = await api.post(`/loans/${firstLoan}/repayments`, { amount: 10_000, paidOn: '2005-06-14' });
      expect(early).toMatchObject({ status: 422, body: { error: 'date_out_of_order', message: expect.stringContaining('2005-06-15') } });
      expect((await api.loan(firstLoan, '2005-06-20')).body).toMatchObject({ interestPaid: 0, principalPaid: 0 });
    });

    it('refuses a second loan beyond what is left in the fund', async () => {
      secondLoan = await api.approvedLoan(
        networkLoan(networkId, memberShg, { principal: 100_000, annualInterestRateBps: 2400, termMonths: 4 }),
      );
      const refused = await api.post(`/loans/${secondLoan}/disbursement`, { disbursedOn: '2005-07-01' });
      expect(refused).toMatchObject({ status: 422, body: { error: 'insufficient_funds' } });
      expect((await api.loan(secondLoan)).body.status).toBe('approved');
    });

    it('lends again once a repayment has brought money back into the fund', async () => {
      const repaid = await api.post(`/loans/${firstLoan}/repayments`, { amount: 93_333, paidOn: '2005-07-15' });
      expect(repaid).toMatchObject({ status: 201, body: { allocation: { interest: 10_000, principal: 83_333 } } });
      expect(await api.post(`/loans/${secondLoan}/disbursement`, { disbursedOn: '2005-07-01' })).toMatchObject({
        status: 202,
        body: { status: 'active' },
      });
      await api.waitForAvailable('network', networkId, 30_000 + 93_333 - 100_000);
    });

    it('allocates interest due first, then principal, oldest installment first, and closes the loan when nothing is owed', async () => {
      const late = await api.post(`/loans/${secondLoan}/repayments`, { amount: 10_000, paidOn: '2005-09-10' });
      expect(late).toMatchObject({ status: 201, body: { allocation: { interest: 4_000, principal: 6_000 } } });
      const { body: overdue } = await api.loan(secondLoan, '2005-09-10');
      expect(overdue).toMatchObject({ daysPastDue: 40, outstandingPrincipal: 94_000, interestPaid: 4_000, principalPaid: 6_000 });
      expect(overdue.schedule.slice(0, 2).map((i: any) => [i.paidInterest, i.paidPrincipal])).toEqual([
        [2_000, 6_000],
        [2_000, 0],
      ]);
      expect((await api.loan(secondLoan, '2005-09-01')).body.daysPastDue).toBe(31);

      expect(await api.post(`/loans/${secondLoan}/repayments`, { amount: 98_001, paidOn: '2005-09-20' })).toMatchObject({
        status: 422,
        body: { error: 'loan_overpayment' },
      });
      expect(await api.post(`/loans/${secondLoan}/repayments`, { amount: 98_000, paidOn: '2005-09-20' })).toMatchObject({
        status: 201,
        body: { allocation: { interest: 4_000, principal: 94_000 } },
      });
      expect((await api.loan(secondLoan, '2006-01-01')).body).toMatchObject({
        status: 'closed',
        outstandingPrincipal: 0,
        daysPastDue: 0,
        interestPaid: 8_000,
      });
      expect(await api.post(`/loans/${secondLoan}/repayments`, { amount: 1, paidOn: '2005-09-21' })).toMatchObject({
        status: 422,
        body: { error: 'loan_not_active' },
      });
    });

    it("publishes the loan's events with what reporting needs", async () => {
      const events = await collectFromTopic(
        Topics.lending,
        (seen) => seen.some((e) => e.type === 'LoanClosed'),
        (e) => e.streamId === secondLoan,
      );
      expect(events.map((e) => e.type)).toEqual([
        'LoanApplied',
        'LoanApproved',
        'LoanDisbursed',
        'RepaymentReceived',
        'RepaymentReceived',
        'LoanClosed',
      ]);
      expect(contractViolations(events, lendingEventContracts)).toEqual([]);
      const [applied, , disbursed, repaid] = events.map((e) => e.data as any);
      expect(applied).toMatchObject({
        networkId,
        lender: { type: 'network', id: networkId },
        funding: { source: 'common-fund', creditLineId: null },
      });
      expect(disbursed).toMatchObject({ disbursedOn: '2005-07-01', principal: 100_000, funding: { source: 'common-fund' } });
      expect(disbursed.schedule.map((i: any) => [i.dueOn, i.principal, i.interest])).toEqual([
        ['2005-08-01', 25_000, 2_000],
        ['2005-09-01', 25_000, 2_000],
        ['2005-10-01', 25_000, 2_000],
        ['2005-11-01', 25_000, 2_000],
      ]);
      expect(repaid).toMatchObject({
        fundingSource: 'common-fund',
        amount: 10_000,
        allocation: { interest: 4_000, principal: 6_000 },
        outstandingPrincipal: 94_000,
      });
    });
  });

  it('lets only one of two concurrent disbursements through when the fund covers one', async () => {
    const network = await groups.network();
    const shg = await groups.shg();
    await groups.join(network, shg);
    await groups.contribute(network, shg, 150_000);
    await api.waitForMembership(network, shg, true);
    await api.waitForAvailable('network', network, 150_000);
    const loans = [
      await api.approvedLoan(networkLoan(network, shg, { principal: 100_000 })),
      await api.approvedLoan(networkLoan(network, shg, { principal: 100_000 })),
    ];
    const answers = await Promise.all(loans.map((id) => api.post(`/loans/${id}/disbursement`, { disbursedOn: '2005-06-15' })));
    expect(answers.map((a) => a.status).sort()).toEqual([202, 422]);
    await api.waitForAvailable('network', network, 50_000);
  });

  it('refuses a borrower SHG that is not, or no longer, a member of the network', async () => {
    const outsider = await groups.shg('Mahalaxmi SHG');
    expect(await api.post('/loans', networkLoan(networkId, outsider))).toMatchObject({
      status: 422,
      body: { error: 'borrower_not_in_network' },
    });

    const leaver = await groups.shg('Saibaba SHG');
    await groups.join(networkId, leaver);
    await api.waitForMembership(networkId, leaver, true);
    expect((await api.post('/loans', networkLoan(networkId, leaver))).status).toBe(201);
    await groups.exit(networkId, leaver);
    await api.waitForMembership(networkId, leaver, false);
    expect(await api.post('/loans', networkLoan(networkId, leaver))).toMatchObject({
      status: 422,
      body: { error: 'borrower_not_in_network' },
    });
  });

  it('rejects an application, after which it can be neither approved nor disbursed', async () => {
    const { body } = await api.post('/loans', networkLoan(networkId, memberShg));
    expect(await api.post(`/loans/${body.id}/rejection`, { reason: 'no repayment capacity' })).toEqual({
      status: 201,
      body: { id: body.id, status: 'rejected' },
    });
    expect((await api.loan(body.id)).body).toMatchObject({ status: 'rejected', rejectionReason: 'no repayment capacity' });
    const events = await collectFromTopic(
      Topics.lending,
      (seen) => seen.length === 2,
      (e) => e.streamId === body.id,
    );
    expect(events.map((e) => e.type)).toEqual(['LoanApplied', 'LoanRejected']);
    expect(contractViolations(events, lendingEventContracts)).toEqual([]);
    expect(await api.post(`/loans/${body.id}/approval`, { approvedOn: '2005-06-10' })).toMatchObject({
      status: 409,
      body: { error: 'conflict' },
    });
    expect(await api.post(`/loans/${body.id}/disbursement`, { disbursedOn: '2005-06-10' })).toMatchObject({
      status: 409,
      body: { error: 'conflict' },
    });
  });

  it("answers the contract's errors for bad requests and state", async () => {
    const valid = networkLoan(networkId, memberShg);
    const invalid = [
      { ...valid, surprise: true },
      { ...valid, principal: 1.5 },
      { ...valid, principal: '1000' },
      { ...valid, termMonths: 61 },
      { ...valid, annualInterestRateBps: 6001 },
      { ...valid, interestMethod: 'balloon' },
      { ...valid, lender: { type: 'bank', id: networkId } },
      { ...valid, funding: { source: 'credit-line' } },
      { ...valid, funding: { source: 'shg-savings' } },
      { ...valid, purpose: '  ' },
    ];
    for (const body of invalid) {
      expect(await api.post('/loans', body)).toMatchObject({ status: 400, body: { error: 'validation_failed' } });
    }
    const { body: detailed } = await api.post('/loans', { ...valid, termMonths: 0, borrower: { type: 'shg', id: 'x' } });
    expect(detailed.details.map((d: any) => d.field).sort()).toEqual(['borrower.id', 'termMonths']);

    const unknown = randomUUID();
    expect(await api.loan(unknown)).toMatchObject({ status: 404, body: { error: 'not_found' } });
    expect(await api.post(`/loans/${unknown}/approval`, { approvedOn: '2005-06-10' })).toMatchObject({
      status: 404,
      body: { error: 'not_found' },
    });

    const { body: applied } = await api.post('/loans', valid);
    expect(await api.get(`/loans/${applied.id}?asOf=2005-02-30`)).toMatchObject({ status: 400, body: { error: 'validation_failed' } });
    expect(await api.post(`/loans/${applied.id}/repayments`, { amount: 100, paidOn: '2005-07-01' })).toMatchObject({
      status: 422,
      body: { error: 'loan_not_active' },
    });
    expect(await api.post(`/loans/${applied.id}/disbursement`, { disbursedOn: '2005-07-01' })).toMatchObject({
      status: 409,
      body: { error: 'conflict' },
    });
    await api.post(`/loans/${applied.id}/approval`, { approvedOn: '2005-06-10' });
    expect(await api.post(`/loans/${applied.id}/approval`, { approvedOn: '2005-06-10' })).toMatchObject({
      status: 409,
      body: { error: 'conflict' },
    });
    expect(await api.post(`/loans/${applied.id}/disbursement`, { disbursedOn: '2005-06-09' })).toMatchObject({
      status: 422,
      body: { error: 'date_out_of_order' },
    });

    const inNineDays = new Date(Date.now() + 9 * 86_400_000).toISOString().slice(0, 10);
    const { body: other } = await api.post('/loans', valid);
    for (const approvedOn of ['0000-01-01', '1900-01-01', '1979-12-31', inNineDays]) {
      const refused = await api.post(`/loans/${other.id}/approval`, { approvedOn });
      expect(refused).toMatchObject({
        status: 400,
        body: { error: 'validation_failed', details: [expect.objectContaining({ field: 'approvedOn' })] },
      });
    }
    for (const [field, date] of [
      ['disbursedOn', '1979-12-31'],
      ['paidOn', inNineDays],
    ]) {
      const path = field === 'paidOn' ? `/loans/${applied.id}/repayments` : `/loans/${applied.id}/disbursement`;
      const refused = await api.post(path, field === 'paidOn' ? { amount: 100, paidOn: date } : { disbursedOn: date });
      expect(refused).toMatchObject({ status: 400, body: { error: 'validation_failed', details: [expect.objectContaining({ field })] } });
    }
    expect(await api.get(`/loans/${applied.id}?asOf=0000-01-01`)).toMatchObject({ status: 400, body: { error: 'validation_failed' } });
    expect(await api.get(`/loans/${applied.id}?asOf=1900-01-01`)).toMatchObject({ status: 200 });
  });

  it('records a repayment retried with the same Idempotency-Key once', async () => {
    const network = await groups.network();
    const shg = await groups.shg();
    await groups.join(network, shg);
    await groups.contribute(network, shg, 100_000);
    await api.waitForMembership(network, shg, true);
    await api.waitForAvailable('network', network, 100_000);
    const loan = await api.approvedLoan(networkLoan(network, shg, { principal: 100_000, termMonths: 2 }));
    await api.post(`/loans/${loan}/disbursement`, { disbursedOn: '2005-06-15' });
    const key = { 'idempotency-key': randomUUID() };
    const first = await api.post(`/loans/${loan}/repayments`, { amount: 40_000, paidOn: '2005-07-15' }, key);
    const retry = await api.post(`/loans/${loan}/repayments`, { amount: 40_000, paidOn: '2005-07-15' }, key);
    expect(retry).toEqual(first);
    expect((await api.loan(loan)).body).toMatchObject({ interestPaid: 1_000, principalPaid: 39_000 });
    expect(await api.storedEventTypes(loan)).toEqual(['LoanApplied', 'LoanApproved', 'LoanDisbursed', 'RepaymentReceived']);
  });
});
