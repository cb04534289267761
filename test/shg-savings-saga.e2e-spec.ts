import { randomUUID } from 'node:crypto';
import { Topics } from '@sangam/messaging';
import { collectFromTopic, connectTestDatabase, EventPublisher, httpClient, startService, waitFor, type HttpClient } from '@sangam/testing';
import { GroupsModule } from '../apps/groups/src/groups.module';
import { memberLoan } from '../apps/lending/test/lending-api';
import { startSystem, type RunningSystem } from './system';

const databasePrefix = 'sangam_test_savings_saga';

/**
 * A loan from an SHG's savings across the real services: lending asks, groups (who owns the money)
 * lends from free funds or refuses, lending disburses or fails, and groups follows the repayments.
 */
describe('the SHG-savings saga between lending and groups', () => {
  let system: RunningSystem;
  let groups: HttpClient;
  let field: HttpClient;
  let lending: HttpClient;
  let field1Lending: HttpClient;
  let shg: string;
  let savita: string;
  let asha: string;
  const publisher = new EventPublisher();

  const shgView = async () => (await groups.get(`/shgs/${shg}`)).body;
  const loanStatus = async (loanId: string) => (await lending.get(`/loans/${loanId}`)).body;
  /** Applied by field1 (once lending knows the member and field1's grant), approved and disbursed by admin: four eyes. */
  const requestLoan = async (principal: number, borrower = savita): Promise<string> => {
    // Lending learns of the members and field1's grant from groups' events, behind whatever else the topic holds.
    const { body } = await waitFor(async () => {
      const answer = await field1Lending.post('/loans', memberLoan(shg, borrower, { principal }));
      expect(answer.status).toBe(201);
      return answer;
    }, 90_000);
    expect((await lending.post(`/loans/${body.id}/approval`, { approvedOn: '2005-06-01' })).status).toBe(201);
    return body.id;
  };
  const disburse = (loanId: string) => lending.post(`/loans/${loanId}/disbursement`, { disbursedOn: '2005-06-05' });
  const settled = (loanId: string) =>
    waitFor(async () => {
      const loan = await loanStatus(loanId);
      expect(['active', 'funding_failed']).toContain(loan.status);
      return loan;
    }, 30_000);
  const deposit = (memberId: string, amount: number) =>
    field.post(`/shgs/${shg}/savings/deposits`, { memberId, amount, depositedOn: '2005-05-01' });

  beforeAll(async () => {
    system = await startSystem(databasePrefix);
    groups = httpClient(system.urls.groups);
    field = httpClient(system.urls.groups, 'field1');
    lending = httpClient(system.urls.lending);
    field1Lending = httpClient(system.urls.lending, 'field1');
    shg = (await field.post('/shgs', { name: 'Ekvira SHG', village: 'Kudal', formedOn: '2004-01-15' })).body.id;
    savita = (await field.post(`/shgs/${shg}/members`, { name: 'Savita', role: 'leader' })).body.id;
    asha = (await field.post(`/shgs/${shg}/members`, { name: 'Asha', role: 'member' })).body.id;
    await deposit(savita, 100_000);
    await deposit(asha, 50_000);
  }, 120_000);
  afterAll(async () => {
    await publisher.close();
    await system?.stop();
  });

  it('lends from free savings through groups, then counts principal repaid as free again and interest as earned', async () => {
    const loanId = await requestLoan(100_000);
    expect(await disburse(loanId)).toMatchObject({ status: 202, body: { status: 'disbursement_pending' } });
    expect((await settled(loanId)).status).toBe('active');
    expect(await shgView()).toMatchObject({ savingsBalance: 50_000, lentToMembers: 100_000, interestEarned: 0 });

    const schedule = (await loanStatus(loanId)).schedule;
    const first = schedule[0].principal + schedule[0].interest;
    expect(await field1Lending.post(`/loans/${loanId}/repayments`, { amount: first, paidOn: '2005-07-05' })).toMatchObject({ status: 201 });
    await waitFor(async () =>
      expect(await shgView()).toMatchObject({
        savingsBalance: 50_000 + first,
        lentToMembers: 100_000 - schedule[0].principal,
        interestEarned: schedule[0].interest,
      }),
    );
    await waitFor(async () =>
      expect((await httpClient(system.urls.reporting).get(`/shgs/${shg}/statement`)).body).toMatchObject({
        savingsBalance: 50_000 + first,
        lentToMembers: 100_000 - schedule[0].principal,
        interestEarned: schedule[0].interest,
      }),
    );
  });

  it("leaves a loan the savings cannot fund funding_failed with groups' reason, and moves no money", async () => {
    const before = await shgView();
    const loanId = await requestLoan(before.savingsBalance + 1);
    expect((await disburse(loanId)).status).toBe(202);
    expect(await settled(loanId)).toMatchObject({ status: 'funding_failed', fundingFailureReason: 'insufficient_savings' });
    expect(await shgView()).toMatchObject({ savingsBalance: before.savingsBalance, lentToMembers: before.lentToMembers });
  });

  it('lets exactly one of a withdrawal and a loan racing for the same last rupees win, round after round', async () => {
    for (let round = 0; round < 4; round++) {
      await deposit(asha, 20_000);
      const before = await shgView();
      const free: number = before.savingsBalance;
      // Together they ask one paisa more than the free funds; each alone fits.
      const withdrawn = Math.min(before.members.find((m: { id: string }) => m.id === asha).savings, free);
      const lent = free - withdrawn + 1;
      const loanId = await requestLoan(lent, savita);
      const [withdrawal] = await Promise.all([
        field.post(`/shgs/${shg}/savings/withdrawals`, { memberId: asha, amount: withdrawn, withdrawnOn: '2005-06-05' }),
        disburse(loanId),
      ]);
      const loan = await settled(loanId);
      const winners = [withdrawal.status === 201, loan.status === 'active'];
      expect([round, winners.filter(Boolean).length]).toEqual([round, 1]);
      if (withdrawal.status !== 201) expect(withdrawal.body).toMatchObject({ error: 'insufficient_savings' });
      expect([round, (await shgView()).savingsBalance]).toEqual([round, withdrawal.status === 201 ? free - withdrawn : free - lent]);
    }
  });

  it('answers each request once: a redelivered request and a second request for the same loan lend nothing more', async () => {
    await deposit(savita, 40_000);
    const loanId = await requestLoan(40_000);
    await disburse(loanId);
    expect((await settled(loanId)).status).toBe('active');
    const [request] = await collectFromTopic(
      Topics.lending,
      (seen) => seen.length > 0,
      (e) => e.type === 'LoanDisbursementRequested' && e.streamId === loanId,
    );
    await publisher.publish(Topics.lending, request, { ...request, eventId: randomUUID() });
    const db = await connectTestDatabase(system.services.groups.config.databaseName);
    try {
      // Both copies are behind the checkpoint once another fact on the topic has been handled after them.
      const marker = await requestLoan(1);
      await disburse(marker);
      await settled(marker);
      const { rows } = await db.query(`SELECT count(*)::int AS n FROM events WHERE type = 'ShgSavingsLent' AND data->>'loanId' = $1`, [
        loanId,
      ]);
      expect(rows[0].n).toBe(1);
      expect((await shgView()).lentToMembers).toBeGreaterThanOrEqual(40_000);
    } finally {
      await db.end();
    }
  });

  it('finishes a request that arrived while groups was down, once groups is back', async () => {
    await deposit(savita, 30_000);
    const loanId = await requestLoan(30_000);
    await system.services.groups.stop();
    expect((await disburse(loanId)).status).toBe(202);
    expect((await loanStatus(loanId)).status).toBe('disbursement_pending');
    const restarted = await startService('groups', GroupsModule.forRoot, { databasePrefix });
    system.services.groups = restarted;
    groups = httpClient(restarted.url);
    field = httpClient(restarted.url, 'field1');
    expect((await settled(loanId)).status).toBe('active');
  });
});
