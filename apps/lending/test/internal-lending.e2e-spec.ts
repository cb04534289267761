import type { Client } from 'pg';
import { connectTestDatabase, EventPublisher, startService, type RunningService } from '@sangam/testing';
import { LendingModule } from '../src/lending.module';
import { GroupsFacts } from './groups-facts';
import { LendingApi, memberLoan } from './lending-api';

describe('an SHG lending to its members from its savings, against Postgres and Kafka', () => {
  let service: RunningService;
  let publisher: EventPublisher;
  let db: Client;
  let api: LendingApi;
  let groups: GroupsFacts;
  let shg: string;
  let sunita: string;
  let outsider: string;
  let network: string;
  let loan: string;

  beforeAll(async () => {
    service = await startService('lending', (config) => LendingModule.forRoot(config), { databasePrefix: 'sangam_test_lending_shg' });
    publisher = new EventPublisher();
    db = await connectTestDatabase(service.config.databaseName);
    api = new LendingApi(service.url, db);
    groups = new GroupsFacts(publisher);
    network = await groups.network();
    shg = await groups.shg();
    sunita = await groups.member(shg, 'Sunita Parab');
    const meena = await groups.member(shg, 'Meena Sawant');
    outsider = await groups.member(await groups.shg('Mahalaxmi SHG'), 'Asha Gawde');
    await groups.deposit(shg, sunita, 200_000);
    await groups.deposit(shg, meena, 100_000);
    await groups.withdraw(shg, meena, 50_000);
    await groups.join(network, shg);
    await groups.contribute(network, shg, 100_000);
    // The join is on the network's stream, another partition than the SHG's: its funds say nothing of it.
    await Promise.all([api.waitForMember(sunita), api.waitForMember(outsider), api.waitForMembership(network, shg, true)]);
    await api.waitForAvailable('shg', shg, 150_000);
  });

  afterAll(async () => {
    await service?.stop();
    await publisher?.close();
    await db?.end();
  });

  it('lends its free savings (deposits less withdrawals and pooled savings) and no more, on an EMI schedule', async () => {
    const tooBig = await api.approvedLoan(memberLoan(shg, sunita, { principal: 150_001 }));
    expect(await api.post(`/loans/${tooBig}/disbursement`, { disbursedOn: '2005-06-05' })).toMatchObject({ status: 422, body: { error: 'insufficient_funds' } });

    loan = await api.approvedLoan(memberLoan(shg, sunita, { principal: 150_000 }));
    expect(await api.post(`/loans/${loan}/disbursement`, { disbursedOn: '2005-06-05' })).toMatchObject({ status: 202, body: { status: 'active' } });
    await api.waitForAvailable('shg', shg, 0);

    const { body } = await api.loan(loan, '2005-06-05');
    expect(body.schedule.map((i: any) => [i.dueOn, i.principal, i.interest])).toEqual([
      ['2005-07-05', 23_779, 3_000],
      ['2005-08-05', 24_255, 2_524],
      ['2005-09-05', 24_740, 2_039],
      ['2005-10-05', 25_234, 1_545],
      ['2005-11-05', 25_739, 1_040],
      ['2005-12-05', 26_253, 525],
    ]);
  });

  it('gets repayments with interest back into what it can lend', async () => {
    expect(await api.post(`/loans/${loan}/repayments`, { amount: 26_779, paidOn: '2005-07-05' })).toMatchObject({
      status: 201, body: { allocation: { interest: 3_000, principal: 23_779 } },
    });
    await api.waitForAvailable('shg', shg, 26_779);
  });

  it('refuses to lend to someone who is not its member', async () => {
    expect(await api.post('/loans', memberLoan(shg, outsider))).toMatchObject({ status: 422, body: { error: 'borrower_not_in_shg' } });
  });

  it('records the SHG\'s network on the application for reporting', async () => {
    const { body } = await api.post('/loans', memberLoan(shg, sunita));
    expect((await api.loan(body.id)).body).toMatchObject({ status: 'applied', networkId: network, lender: { type: 'shg', id: shg } });
  });
});
