import { randomUUID } from 'node:crypto';
import { Topics, type EventEnvelope } from '@sangam/messaging';
import {
  collectFromTopic,
  connectTestDatabase,
  devUserId,
  httpClient,
  keycloakUrl,
  tokenFor,
  waitFor,
  type DevUser,
  type HttpClient,
} from '@sangam/testing';
import { startSystem, type RunningSystem } from './system';

type Service = 'groups' | 'lending' | 'bankLinkage' | 'reporting';

/**
 * The Access section of the contract across the four services, with the realm's real users:
 * tokens, roles, object scope (404 outside it, 403 for a role that may not), four eyes, grants
 * honoured (and revoked) by the services that read them from Kafka, and the actor on every event.
 */
describe('access: who may do what across the four services', () => {
  let system: RunningSystem;
  const api = (user: DevUser | null, service: Service): HttpClient => httpClient(system.urls[service], user);
  const created = async (user: DevUser, service: Service, path: string, body: unknown): Promise<string> => {
    const answer = await api(user, service).post(path, body);
    if (answer.status !== 201) throw new Error(`${user} POST ${path} answered ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body?.id;
  };

  // Sindhudurg (field1 and approver1 granted) and Chanderi (field2 granted); the bank (banker1 granted).
  let sindhudurg: string;
  let chanderi: string;
  let shg: string;
  let member: string;
  let bankId: string;
  let creditLineId: string;
  let loanId: string;

  beforeAll(async () => {
    system = await startSystem('sangam_test_access');
    const network = (name: string) =>
      created('admin', 'groups', '/networks', { name, cluster: 'Kudal', formedOn: '2005-04-01', annualFee: 30_000 });
    [sindhudurg, chanderi] = await Promise.all([network('Sindhudurg'), network('Chanderi')]);
    for (const user of ['field1', 'approver1'] as const)
      await created('admin', 'groups', `/networks/${sindhudurg}/grants`, { userId: devUserId(user) });
    await created('admin', 'groups', `/networks/${chanderi}/grants`, { userId: devUserId('field2') });

    shg = await created('field1', 'groups', '/shgs', { name: 'Jai Bhavani', village: 'Kudal', formedOn: '2004-01-15' });
    member = await created('field1', 'groups', `/shgs/${shg}/members`, { name: 'Savita', role: 'leader' });
    await created('field1', 'groups', `/shgs/${shg}/savings/deposits`, { memberId: member, amount: 100_000, depositedOn: '2005-04-10' });
    await api('field1', 'groups').post(`/networks/${sindhudurg}/members`, { shgId: shg, joinedOn: '2005-04-15' });
    await created('field1', 'groups', `/networks/${sindhudurg}/fund/contributions`, {
      shgId: shg,
      amount: 50_000,
      contributedOn: '2005-05-01',
    });

    ({ id: bankId } = (
      await api('admin', 'bankLinkage').post('/banks', { name: 'Bank of Maharashtra', branch: 'Kudal', maxSavingsMultiple: 0 })
    ).body);
    await created('admin', 'bankLinkage', `/banks/${bankId}/grants`, { userId: devUserId('banker1') });
    creditLineId = await waitFor(
      () =>
        created('banker1', 'bankLinkage', '/credit-lines', {
          bankId,
          borrower: { type: 'network', id: sindhudurg },
          limit: 1_000_000,
          annualInterestRateBps: 1200,
          sanctionedOn: '2005-06-01',
          expiresOn: '2006-05-31',
        }),
      120_000,
    );
    // Lending learns of the grant and the membership from groups' events.
    loanId = await waitFor(
      () =>
        created('field1', 'lending', '/loans', {
          lender: { type: 'network', id: sindhudurg },
          borrower: { type: 'shg', id: shg },
          principal: 10_000,
          annualInterestRateBps: 1200,
          termMonths: 2,
          interestMethod: 'flat',
          purpose: 'goats',
          funding: { source: 'common-fund' },
        }),
      120_000,
    );
  }, 300_000);
  afterAll(() => system?.stop());

  describe('tokens', () => {
    const foreignTokens = async (): Promise<Record<string, string>> => {
      const good = await tokenFor('admin');
      const [header, payload, signature] = good.split('.');
      const json = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString());
      const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
      const elevated = encode({ ...json(payload), sub: devUserId('field2') });
      const { createHmac } = await import('node:crypto');
      const certs = (await (await fetch(`${keycloakUrl()}/realms/sangam/protocol/openid-connect/certs`)).json()) as { keys: object[] };
      const hsHeader = encode({ ...json(header), alg: 'HS256' });
      const hs256 = `${hsHeader}.${payload}.${createHmac('sha256', JSON.stringify(certs.keys[0])).update(`${hsHeader}.${payload}`).digest('base64url')}`;
      const master = await fetch(`${keycloakUrl()}/realms/master/protocol/openid-connect/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'password', client_id: 'admin-cli', username: 'admin', password: 'admin' }),
      }).then((r) => r.json() as Promise<{ access_token: string }>);
      return {
        garbage: 'not-a-token',
        'claims changed after signing': `${header}.${elevated}.${signature}`,
        'alg none': `${encode({ alg: 'none', typ: 'JWT' })}.${payload}.`,
        "HS256 keyed with the provider's public key": hs256,
        'another realm of the same provider (foreign issuer, no sangam audience)': master.access_token,
      };
    };

    it('answers 401 with WWW-Authenticate: Bearer on every service to no token or a token that is not ours', async () => {
      const tokens = await foreignTokens();
      for (const service of ['groups', 'lending', 'bankLinkage', 'reporting'] as const) {
        const none = await fetch(`${system.urls[service]}/me`);
        expect([service, 'none', none.status, none.headers.get('www-authenticate')]).toEqual([
          service,
          'none',
          401,
          'Bearer realm="sangam"',
        ]);
        for (const [kind, token] of Object.entries(tokens)) {
          const answer = await api(null, service).get('/me', { authorization: `Bearer ${token}` });
          expect([service, kind, answer.status, answer.body.error]).toEqual([service, kind, 401, 'unauthorized']);
        }
      }
    });

    it('records nothing for a refused token', async () => {
      const tokens = await foreignTokens();
      for (const token of Object.values(tokens)) {
        const answer = await api(null, 'groups').post(
          `/shgs/${shg}/savings/deposits`,
          { memberId: member, amount: 1, depositedOn: '2005-04-11' },
          { authorization: `Bearer ${token}` },
        );
        expect(answer.status).toBe(401);
      }
      const { body } = await api('admin', 'groups').get(`/shgs/${shg}`);
      expect(body.members[0].savings).toBe(100_000);
    });

    it('leaves health and metrics open', async () => {
      expect((await fetch(`${system.urls.groups}/health`)).status).toBe(200);
      expect((await fetch(`${system.urls.groups}/metrics`)).status).toBe(200);
    });

    it('tells every caller who they are on every service', async () => {
      for (const service of ['groups', 'lending', 'bankLinkage', 'reporting'] as const) {
        expect((await api('approver1', service).get('/me')).body).toEqual({
          userId: devUserId('approver1'),
          username: 'approver1',
          roles: ['approver'],
        });
      }
    });
  });

  describe('the policy tables, route by route and user by user', () => {
    type Expected = Partial<Record<DevUser, number>>;
    const everyone: DevUser[] = ['admin', 'field1', 'field2', 'approver1', 'approver2', 'banker1', 'banker2', 'auditor1', 'operator1'];
    const routes = (): { service: Service; method: 'GET' | 'POST'; path: string; body?: () => object; expected: Expected }[] => [
      {
        service: 'groups',
        method: 'GET',
        path: `/shgs/${shg}`,
        expected: {
          admin: 200,
          field1: 200,
          field2: 404,
          approver1: 200,
          approver2: 404,
          banker1: 403,
          banker2: 403,
          auditor1: 200,
          operator1: 403,
        },
      },
      {
        service: 'groups',
        method: 'GET',
        path: `/networks/${sindhudurg}`,
        expected: { admin: 200, field1: 200, field2: 404, approver1: 200, approver2: 404, banker1: 403, auditor1: 200, operator1: 403 },
      },
      { service: 'groups', method: 'GET', path: `/networks/${chanderi}`, expected: { field1: 404, field2: 200, approver1: 404 } },
      {
        service: 'groups',
        method: 'POST',
        path: `/shgs/${shg}/savings/deposits`,
        body: () => ({ memberId: member, amount: 100, depositedOn: '2005-04-12' }),
        expected: { admin: 201, field1: 201, field2: 404, approver1: 403, approver2: 403, banker1: 403, auditor1: 403, operator1: 403 },
      },
      {
        service: 'groups',
        method: 'POST',
        path: '/networks',
        body: () => ({ name: 'Another', cluster: 'Kudal', formedOn: '2005-04-01', annualFee: 10_000 }),
        expected: { admin: 201, field1: 403, approver1: 403, banker1: 403, auditor1: 403, operator1: 403 },
      },
      {
        service: 'groups',
        method: 'POST',
        path: `/networks/${sindhudurg}/grants`,
        body: () => ({ userId: devUserId('auditor1') }),
        expected: { field1: 403, approver1: 403, banker1: 403, auditor1: 403 },
      },
      {
        service: 'lending',
        method: 'GET',
        path: `/loans/${loanId}`,
        expected: { admin: 200, field1: 200, field2: 404, approver1: 200, approver2: 404, banker1: 403, auditor1: 200, operator1: 403 },
      },
      {
        service: 'lending',
        method: 'POST',
        path: `/loans/${loanId}/rejection`,
        body: () => ({ reason: 'only a probe' }),
        expected: { field1: 403, field2: 403, approver2: 404, banker1: 403, auditor1: 403, operator1: 403 },
      },
      {
        service: 'lending',
        method: 'POST',
        path: `/loans/${loanId}/repayments`,
        body: () => ({ amount: 100, paidOn: '2005-07-01' }),
        expected: { field2: 404, approver1: 403, auditor1: 403, operator1: 403 },
      },
      {
        service: 'bankLinkage',
        method: 'GET',
        path: `/credit-lines/${creditLineId}`,
        expected: { admin: 200, banker1: 200, banker2: 404, field1: 403, approver1: 403, auditor1: 200, operator1: 403 },
      },
      {
        service: 'bankLinkage',
        method: 'POST',
        path: `/credit-lines/${creditLineId}/drawdowns`,
        body: () => ({ amount: 100, drawnOn: '2005-06-02', purpose: 'probe' }),
        expected: { banker2: 404, field1: 403, auditor1: 403, operator1: 403 },
      },
      {
        service: 'bankLinkage',
        method: 'POST',
        path: '/banks',
        body: () => ({ name: 'Probe', branch: 'Kudal', maxSavingsMultiple: 0 }),
        expected: { admin: 201, banker1: 403, field1: 403, auditor1: 403, operator1: 403 },
      },
      {
        service: 'bankLinkage',
        method: 'POST',
        path: `/banks/${bankId}/webhook-secret/rotation`,
        body: () => ({}),
        expected: { banker1: 403, auditor1: 403, operator1: 403 },
      },
      {
        service: 'bankLinkage',
        method: 'GET',
        path: '/webhooks/deliveries',
        expected: { admin: 200, operator1: 200, auditor1: 200, field1: 403, banker1: 403, approver1: 403 },
      },
      {
        service: 'reporting',
        method: 'GET',
        path: `/networks/${sindhudurg}/dashboard`,
        expected: {
          admin: 200,
          field1: 200,
          field2: 404,
          approver1: 200,
          approver2: 404,
          banker1: 200,
          banker2: 404,
          auditor1: 200,
          operator1: 403,
        },
      },
      {
        service: 'reporting',
        method: 'GET',
        path: `/networks/${sindhudurg}/loans`,
        expected: { field1: 200, field2: 404, banker1: 403, auditor1: 200, operator1: 403 },
      },
      {
        service: 'reporting',
        method: 'GET',
        path: `/shgs/${shg}/statement`,
        expected: { field1: 200, field2: 404, approver1: 200, banker2: 404, auditor1: 200, operator1: 403 },
      },
      {
        service: 'reporting',
        method: 'GET',
        path: '/projections',
        expected: { admin: 200, operator1: 200, auditor1: 200, field1: 403, banker1: 403 },
      },
    ];

    const call = (user: DevUser, route: ReturnType<typeof routes>[number]) =>
      route.method === 'GET' ? api(user, route.service).get(route.path) : api(user, route.service).post(route.path, route.body!());

    it('answers each role and scope as the contract says (2xx, 403 or 404)', async () => {
      const cases = routes().flatMap((route) =>
        Object.entries(route.expected).map(([user, status]) => ({ route, user: user as DevUser, status })),
      );
      // What others learn through Kafka arrives eventually: the allowed answers first, then the refusals, once.
      for (const { route, user, status } of cases.filter((c) => c.status < 300)) {
        await waitFor(async () =>
          expect([user, route.method, route.path, (await call(user, route)).status]).toEqual([user, route.method, route.path, status]),
        );
      }
      const refusals = await Promise.all(
        cases
          .filter((c) => c.status >= 400)
          .map(async ({ route, user }) => [user, route.method, route.path, (await call(user, route)).status]),
      );
      expect(refusals).toEqual(
        cases.filter((c) => c.status >= 400).map(({ route, user, status }) => [user, route.method, route.path, status]),
      );
    });

    it('answers out of scope exactly as for an object that does not exist', async () => {
      const outside = await api('field2', 'groups').get(`/shgs/${shg}`);
      const missing = await api('admin', 'groups').get(`/shgs/${shg.replace(/^.{8}/, '00000000')}`);
      expect(outside.status).toBe(404);
      expect(outside.body).toEqual({ ...missing.body, message: missing.body.message.replace(/[0-9a-f-]{36}/, shg) });
    });

    it('covers every user of the realm', () => {
      expect(new Set(routes().flatMap((r) => Object.keys(r.expected)))).toEqual(new Set(everyone));
    });
  });

  describe('four eyes', () => {
    it('never lets the user who recorded an application approve, reject or disburse it', async () => {
      const application = await created('admin', 'lending', '/loans', {
        lender: { type: 'network', id: sindhudurg },
        borrower: { type: 'shg', id: shg },
        principal: 5_000,
        annualInterestRateBps: 1200,
        termMonths: 2,
        interestMethod: 'flat',
        purpose: 'sewing',
        funding: { source: 'common-fund' },
      });
      expect(await api('admin', 'lending').post(`/loans/${application}/approval`, { approvedOn: '2005-06-05' })).toMatchObject({
        status: 403,
        body: { error: 'forbidden' },
      });
      expect(await api('admin', 'lending').post(`/loans/${application}/rejection`, { reason: 'mine' })).toMatchObject({
        status: 403,
        body: { error: 'forbidden' },
      });
      expect((await api('approver1', 'lending').post(`/loans/${application}/approval`, { approvedOn: '2005-06-05' })).status).toBe(201);
      expect(await api('admin', 'lending').post(`/loans/${application}/disbursement`, { disbursedOn: '2005-06-06' })).toMatchObject({
        status: 403,
        body: { error: 'forbidden' },
      });
      expect((await api('approver1', 'lending').post(`/loans/${application}/disbursement`, { disbursedOn: '2005-06-06' })).status).toBe(
        202,
      );
    });
  });

  describe('grants', () => {
    it('are honoured by lending, bank-linkage and reporting once they have read them, and stop when revoked', async () => {
      const reads = (): [Service, string][] => [
        ['groups', `/networks/${sindhudurg}`],
        ['lending', `/loans/${loanId}`],
        ['reporting', `/networks/${sindhudurg}/dashboard`],
      ];
      for (const [service, path] of reads()) expect([service, (await api('approver2', service).get(path)).status]).toEqual([service, 404]);
      await created('admin', 'groups', `/networks/${sindhudurg}/grants`, { userId: devUserId('approver2') });
      for (const [service, path] of reads())
        await waitFor(async () => expect([service, (await api('approver2', service).get(path)).status]).toEqual([service, 200]));
      expect((await api('admin', 'groups').delete(`/networks/${sindhudurg}/grants/${devUserId('approver2')}`)).status).toBe(204);
      for (const [service, path] of reads())
        await waitFor(async () => expect([service, (await api('approver2', service).get(path)).status]).toEqual([service, 404]));
      expect((await api('admin', 'groups').delete(`/networks/${sindhudurg}/grants/${devUserId('approver2')}`)).status).toBe(404);

      expect((await api('banker2', 'bankLinkage').get(`/credit-lines/${creditLineId}`)).status).toBe(404);
      await created('admin', 'bankLinkage', `/banks/${bankId}/grants`, { userId: devUserId('banker2') });
      expect((await api('banker2', 'bankLinkage').get(`/credit-lines/${creditLineId}`)).status).toBe(200);
    });

    it('lets a field officer share an SHG in their scope, and only in it', async () => {
      expect((await api('field2', 'groups').post(`/shgs/${shg}/grants`, { userId: devUserId('field2') })).status).toBe(404);
      expect((await api('field1', 'groups').post(`/shgs/${shg}/grants`, { userId: devUserId('field2') })).status).toBe(201);
      expect((await api('field2', 'groups').get(`/shgs/${shg}`)).status).toBe(200);
      expect((await api('field2', 'groups').get(`/networks/${sindhudurg}`)).status).toBe(404);
      expect((await api('field1', 'groups').delete(`/shgs/${shg}/grants/${devUserId('field2')}`)).status).toBe(204);
      expect((await api('field2', 'groups').get(`/shgs/${shg}`)).status).toBe(404);
    });

    it('give a field officer the SHG they form, and no one else', async () => {
      const own = await created('field2', 'groups', '/shgs', { name: 'Chanderi weavers', village: 'Chanderi', formedOn: '2005-01-01' });
      expect((await api('field2', 'groups').get(`/shgs/${own}`)).status).toBe(200);
      expect((await api('field1', 'groups').get(`/shgs/${own}`)).status).toBe(404);
    });
  });

  describe('idempotency keys', () => {
    it("belong to their caller: another user's identical key is another key", async () => {
      const key = randomUUID();
      const body = { memberId: member, amount: 10, depositedOn: '2005-04-13' };
      const first = await api('field1', 'groups').post(`/shgs/${shg}/savings/deposits`, body, { 'Idempotency-Key': key });
      const other = await api('admin', 'groups').post(`/shgs/${shg}/savings/deposits`, body, { 'Idempotency-Key': key });
      const again = await api('field1', 'groups').post(`/shgs/${shg}/savings/deposits`, body, { 'Idempotency-Key': key });
      expect(first.status).toBe(201);
      expect(other.status).toBe(201);
      expect(other.body.id).not.toBe(first.body.id);
      expect(again).toEqual(first);
    });
  });

  describe('the actor of every event', () => {
    const actorOf = (envelopes: EventEnvelope[], type: string) => envelopes.find((e) => e.type === type)?.actor;

    it('names the user in the stored metadata and on Kafka, and leaves no event without an actor', async () => {
      const field1 = { userId: devUserId('field1'), username: 'field1' };
      const shgEvents = await collectFromTopic(
        Topics.groups,
        (seen) => seen.some((e) => e.type === 'SavingsDeposited'),
        (e) => e.streamId === shg,
      );
      expect(actorOf(shgEvents, 'ShgFormed')).toEqual(field1);
      expect(actorOf(shgEvents, 'AccessGranted')).toEqual(field1);
      const loanEvents = await collectFromTopic(
        Topics.lending,
        (seen) => seen.some((e) => e.type === 'LoanApplied'),
        (e) => e.streamId === loanId,
      );
      expect(actorOf(loanEvents, 'LoanApplied')).toEqual(field1);
      const bankEvents = await collectFromTopic(
        Topics.bankLinkage,
        (seen) => seen.some((e) => e.type === 'BankRegistered'),
        (e) => e.streamId === bankId,
      );
      expect(actorOf(bankEvents, 'BankRegistered')).toEqual({ userId: devUserId('admin'), username: 'admin' });

      const db = await connectTestDatabase(system.services.groups.config.databaseName);
      try {
        const { rows } = await db.query(`SELECT DISTINCT metadata->'actor' AS actor FROM events WHERE stream_id = $1`, [shg]);
        expect(rows.map((r) => r.actor)).toEqual(expect.arrayContaining([field1]));
        const { rows: unattributed } = await db.query(
          `SELECT count(*)::int AS n FROM events WHERE metadata->'actor' IS NULL OR metadata->'actor' = 'null'::jsonb`,
        );
        expect(unattributed[0].n).toBe(0);
      } finally {
        await db.end();
      }
    });
  });
});
